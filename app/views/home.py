"""What the database holds: the counts investigators see at the top of the incident overview."""

from __future__ import annotations

import streamlit as st


def render_holdings(figures: list[tuple[str, int]]) -> None:
    """The counts of :func:`app.analysis.holdings_on`, three to a row."""
    st.subheader("What this database holds")
    cols = st.columns(3)
    for i, (label, value) in enumerate(figures):
        cols[i % 3].metric(label, f"{value:,}")
