"""Log in with a local account (victims register on the next page; staff accounts come from an admin)."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitSecretNotFoundError

from app import auth, ui
from core.errors import KeytraceError
from core.workspace import Workspace


def render() -> None:
    ws = ui.workspace()
    st.title("keytrace")
    st.caption("Incident forensics and victim claims for the 3Commas API-key leak")
    with st.form("login"):
        username = st.text_input("User name", key="login_username")
        password = st.text_input("Password", type="password", key="login_password")
        submitted = st.form_submit_button("Log in", type="primary")
    if submitted:
        try:
            with st.spinner("Checking..."):
                _, token = auth.login(ws, username, password)
        except KeytraceError as exc:
            st.error(ui.md(ui.sentence(str(exc))))
            return
        st.session_state[ui.TOKEN_KEY] = token
        st.rerun()
    _single_sign_on(ws)
    st.info("Lost money through a leaked API key? Register as a victim to file a claim; "
            "keytrace will never ask for your API secret, private key or seed phrase.")


def _single_sign_on(ws: Workspace) -> None:
    """Staff of an organisation with an identity provider log in through Streamlit's OIDC (docs/)."""
    try:
        configured = "auth" in st.secrets
    except StreamlitSecretNotFoundError:
        return
    if not configured:
        return
    if not st.user.get("is_logged_in", False):
        st.button("Log in with your organisation", key="login_sso", on_click=st.login)
        return
    try:
        _, token = auth.login_sso(ws, str(st.user.get("email") or ""))
    except KeytraceError as exc:
        st.error(ui.md(ui.sentence(str(exc))))
        st.button("Log out of the identity provider", key="logout_sso", on_click=st.logout)
        return
    st.session_state[ui.TOKEN_KEY] = token
    st.rerun()


if __name__ == "__main__":
    render()
