"""What the database holds: the counts investigators see at the top of the incident overview."""

from __future__ import annotations

import duckdb
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
    return holdings_of(ws)


def holdings_of(ws: Workspace) -> list[tuple[str, int]]:
    with ws.db.read() as con:
        return holdings_on(con)


def holdings_on(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    return [(label, int(con.execute(sql).fetchall()[0][0])) for label, sql in HOLDINGS]


def render_holdings(figures: list[tuple[str, int]]) -> None:
    st.subheader("What this database holds")
    cols = st.columns(3)
    for i, (label, value) in enumerate(figures):
        cols[i % 3].metric(label, f"{value:,}")
