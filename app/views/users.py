"""Administrators: create staff accounts (investigators, legal, other admins) and see every account."""

from __future__ import annotations

import streamlit as st

from app import auth, ui

CLEAR = "ua_clear"  # set when an account was created: its form starts empty on the next run


def render() -> None:
    ws, user = ui.guard("users")
    st.title("Accounts")
    st.write("Victims register themselves. Create accounts for investigators, the legal team and other "
             "administrators here (or with `keytrace users add`).")
    if st.session_state.pop(CLEAR, False):  # before the widgets exist, as Streamlit requires
        for key in ("ua_username", "ua_password", "ua_email"):
            st.session_state[key] = ""
    with st.form("users_add"):  # a refused account keeps what was typed; only a created one empties the form
        c1, c2 = st.columns(2)
        username = c1.text_input("User name", key="ua_username")
        role = c2.selectbox("Role", list(auth.STAFF_ROLES), key="ua_role")
        password = c1.text_input("Initial password", type="password", key="ua_password",
                                 help=f"at least {auth.MIN_PASSWORD} characters; give it to the person "
                                      "through a separate channel")
        email = c2.text_input("E-mail (optional)", key="ua_email")
        submitted = st.form_submit_button("Create account", type="primary")
    if submitted:
        made = ui.attempt(lambda: auth.create_user(ws, user, username=username, password=password, role=role,
                                                   email=email))
        if made is not None:
            ui.flash(f"Account {ui.md(made.username)} ({made.role}) created.")
            st.session_state[CLEAR] = True
            st.rerun()
    accounts = auth.list_users(ws, user)
    others = [a["username"] for a in accounts if a["id"] != user.id]
    if others:
        with st.form("users_disable"):
            st.markdown("**Disable or enable an account** (disabling ends its sessions at once)")
            who = st.selectbox("Account", others, key="ud_username")
            c1, c2 = st.columns(2)
            disable = c1.form_submit_button("Disable")
            enable = c2.form_submit_button("Enable")
        if (disable or enable) and ui.act(lambda: auth.set_disabled(ws, user, who, disable)):
            ui.flash(f"Account {ui.md(who)} {'disabled' if disable else 'enabled'}.")
            st.rerun()
    ui.table([{"id": a["id"], "user name": a["username"], "role": a["role"],
               "created (UTC)": a["created_at"].strftime("%Y-%m-%d %H:%M"), "disabled": a["disabled"]}
              for a in accounts], key="ua_table")


if __name__ == "__main__":
    render()
