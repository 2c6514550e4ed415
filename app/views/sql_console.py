"""Investigators: a read-only SQL console over the case database (row limit, time limit, no writes)."""

from __future__ import annotations

import streamlit as st

from app import sql_console, ui

EXAMPLE = ("SELECT exchange, account, round(loss_usd, 2) AS loss_usd, unauthorized_trades\n"
           "FROM account_losses\nORDER BY loss_usd DESC\nLIMIT 20")


def _unique(columns: list[str]) -> list[str]:
    """Column names made unique (SELECT 1, 1 names two columns "1"), as the table needs."""
    out: list[str] = []
    for c in columns:
        name, n = c, 1
        while name in out:
            n += 1
            name = f"{c} ({n})"
        out.append(name)
    return out


def render() -> None:
    ws, user = ui.guard("sql_console")
    st.title("SQL console")
    st.caption("Read-only: one SELECT, WITH, SHOW, DESCRIBE or SUMMARIZE statement at a time. The account "
               "tables are not readable here; personal data is stored encrypted.")
    with st.form("sql_console"):
        text = st.text_area("Query", value=EXAMPLE, height=180, key="sql_text")
        c1, c2 = st.columns(2)
        row_limit = c1.number_input("Row limit", min_value=1, max_value=sql_console.MAX_ROWS, value=1000,
                                    step=100, key="sql_rows")
        time_limit = c2.number_input("Time limit (seconds)", min_value=1, max_value=int(sql_console.MAX_SECONDS),
                                     value=10, key="sql_seconds")
        run = st.form_submit_button("Run", type="primary")
    if not run:
        return
    result = ui.attempt(lambda: sql_console.run_query(ws, user, text, row_limit=int(row_limit),
                                                      time_limit=float(time_limit)), waiting="Running...")
    if result is None:
        return
    import pandas as pd

    columns = _unique(result.columns)
    frame = pd.DataFrame([[sql_console.display(v) for v in r] for r in result.rows], columns=columns, dtype=str)
    st.dataframe(frame, hide_index=True, key="sql_result")
    note = f"{ui.plural(len(result.rows), 'row')} in {result.seconds:.2f} s"
    if result.truncated:
        note += f"; stopped at the row limit of {int(row_limit):,}"
    st.caption(note)


if __name__ == "__main__":
    render()
