"""Streamlit entry point: ``streamlit run app/streamlit_app.py`` (``keytrace app`` does this for you)."""

from __future__ import annotations

import sys
from pathlib import Path

# Streamlit runs this file as a script: make the project's packages importable from a source checkout.
_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from app.views import home  # noqa: E402

st.set_page_config(page_title="keytrace", page_icon=":mag:", layout="wide")
pages = [st.Page(home.render, title="Incident overview", url_path="home", default=True)]
st.navigation(pages).run()
