"""Streamlit entry point: ``streamlit run app/streamlit_app.py`` (``keytrace app`` does this for you).

The menu is built per role from :data:`app.access.PAGES`; someone who is not logged in sees only the
login and registration pages. Each page checks its own access again (:func:`app.ui.guard`).
"""

from __future__ import annotations

import sys
from pathlib import Path

# Streamlit runs this file as a script: make the project's packages importable from a source checkout.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from app import access, auth, ui  # noqa: E402

st.set_page_config(page_title="keytrace", page_icon=":mag:", layout="wide")

ws = ui.workspace()
user = ui.current_user(ws)

if user is None:
    nav = st.navigation([
        st.Page("views/login.py", title="Log in", icon=":material/login:", url_path="login", default=True),
        st.Page("views/register.py", title="Register as a victim", icon=":material/person_add:",
                url_path="register"),
    ])
else:
    groups: dict[str, list[st.Page]] = {}
    rules = access.pages_for(user.role)
    for i, rule in enumerate(rules):
        groups.setdefault(rule.group, []).append(
            st.Page(rule.file, title=rule.title, icon=rule.icon, url_path=rule.key, default=(i == 0)))
    nav = st.navigation(groups)
    with st.sidebar:
        st.caption(f"Logged in as {ui.md(user.username)} ({user.role})")
        ui.freshness_note(ws, user)
        if not st.user.get("is_logged_in", False):  # identity-provider users have no keytrace password
            ui.password_form(ws, user)
        if st.button("Log out", key="kt_logout", icon=":material/logout:"):
            auth.logout(ws, str(st.session_state.get(ui.TOKEN_KEY, "")))
            st.session_state.pop(ui.TOKEN_KEY, None)
            if st.user.get("is_logged_in", False):  # signed in through the organisation's identity provider
                st.logout()
            st.rerun()
nav.run()
