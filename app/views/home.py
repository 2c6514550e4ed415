"""Home page: what the database holds."""

from __future__ import annotations

import os

import streamlit as st

from core.workspace import Workspace

HOLDINGS = [
    ("Evidence files", "SELECT count(*) FROM evidence_files"),
    ("Accounts under investigation", "SELECT count(*) FROM accounts"),
    ("Trades", "SELECT count(*) FROM trades"),
    ("Ledger movements", "SELECT count(*) FROM ledger_movements"),
    ("Reference price bars", "SELECT count(*) FROM price_bars"),
    ("Leaked key fingerprints", "SELECT count(*) FROM leaked_keys"),
    ("On-chain transfers", "SELECT count(*) FROM transfers"),
    ("Claims", "SELECT count(*) FROM claims"),
    ("Audit entries", "SELECT count(*) FROM audit_log"),
]


def holdings(db: str | None) -> list[tuple[str, int]]:
    ws = Workspace.open(db)
    with ws.db.read() as con:
        return [(label, int(con.execute(sql).fetchall()[0][0])) for label, sql in HOLDINGS]


def render() -> None:
    st.title("keytrace")
    st.caption("Incident forensics and victim claims for exchange API-key leaks")
    db = os.environ.get("KEYTRACE_DB")
    figures = holdings(db)
    st.subheader("What this database holds")
    cols = st.columns(3)
    for i, (label, value) in enumerate(figures):
        cols[i % 3].metric(label, f"{value:,}")
