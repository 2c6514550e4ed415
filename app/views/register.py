"""Victims create their own account here; staff accounts are created by an administrator."""

from __future__ import annotations

import streamlit as st

from app import auth, ui
from core.errors import KeytraceError


def render() -> None:
    ws = ui.workspace()
    st.title("Register as a victim")
    st.write("Create an account to file a claim and follow it. Choose a user name that is not your "
             "e-mail address; your contact details are stored encrypted.")
    with st.form("register"):
        username = st.text_input("User name", key="reg_username", help="3 to 40 lower-case letters or digits")
        password = st.text_input("Password", type="password", key="reg_password",
                                 help=f"at least {auth.MIN_PASSWORD} characters")
        repeat = st.text_input("Password again", type="password", key="reg_repeat")
        name = st.text_input("Your name (optional)", key="reg_name")
        email = st.text_input("E-mail (optional)", key="reg_email")
        submitted = st.form_submit_button("Create my account", type="primary")
    if not submitted:
        return
    if password != repeat:
        st.error("The two passwords differ.")
        return
    try:
        with st.spinner(ui.SAVING):
            auth.register_victim(ws, username=username, password=password, name=name, email=email)
            _, token = auth.login(ws, username, password)
    except KeytraceError as exc:
        st.error(ui.md(ui.sentence(str(exc))))
        return
    st.session_state[ui.TOKEN_KEY] = token
    st.rerun()


if __name__ == "__main__":
    render()
