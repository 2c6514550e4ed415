"""Investigators: one account's trades over time, flagged trades marked, price against the reference."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import analysis, ui
from queries.coverage import COVERAGE_GAP_HOURS, COVERAGE_KINDS

LIMIT = 5000
LIST_LIMIT = 500


def render() -> None:
    ws, user = ui.guard("account")
    st.title("Account view")
    with ws.db.read() as con:
        victims = analysis.fetch(con, user, "pages/account_list", limit=LIST_LIMIT)
    keys = [f"{a['exchange']}:{a['account']}" for a in victims]
    typed = st.text_input("Account (exchange:UID), or pick one with unauthorised trades below",
                          value=str(st.query_params.get("account", "")), key="av_typed").strip()
    choice = st.selectbox("Accounts with unauthorised trades, worst losses first", keys, key="av_account",
                          index=0 if keys else None)
    wanted = typed or choice
    if not wanted:
        st.info("No account has unauthorised trades yet; type an account as exchange:UID.")
        return
    exchange, _, account = wanted.partition(":")
    with ws.db.read() as con:
        found = analysis.fetch(con, user, "pages/account_summary", exchange=exchange.strip().lower(),
                               account=account.strip())
        if not found:
            st.error(f"No account {ui.md(wanted)} is under investigation (write it as exchange:UID).")
            return
        chosen = found[0]
        trades = analysis.fetch(con, user, "pages/account_trades", exchange=chosen["exchange"],
                                account=chosen["account"], limit=LIMIT)
        acct = {"exchange": chosen["exchange"], "account": chosen["account"]}
        coverage = analysis.fetch(con, user, "report/account_coverage", gap_hours=COVERAGE_GAP_HOURS, **acct)
        conflicts = analysis.fetch(con, user, "report/account_conflicts", **acct)
    flagged = sum(1 for t in trades if t["unauthorized"])
    c1, c2, c3 = st.columns(3)
    c1.metric("Trades shown", f"{len(trades):,}")
    c2.metric("Judged unauthorised", f"{flagged:,}")
    c3.metric("Computed loss (USD)", f"{chosen['loss_usd']:,.2f}" if chosen["loss_usd"] is not None else "none")
    if len(trades) == LIMIT:
        st.caption(f"The most recent {LIMIT:,} trades.")
    _evidence(coverage, conflicts)
    if not trades:
        return
    import altair as alt
    import pandas as pd

    pairs = sorted({t["pair"] for t in trades})
    flagged_pairs = sorted({t["pair"] for t in trades if t["unauthorized"]})
    pair = st.selectbox("Pair", pairs, index=pairs.index(flagged_pairs[0]) if flagged_pairs else 0, key="av_pair")
    sel = [t for t in trades if t["pair"] == pair]
    frame = pd.DataFrame([{"time": t["time_utc"], "price": float(t["price"]),
                           "reference": float(t["reference_price"]) if t["reference_price"] is not None else None,
                           "trade": "unauthorised" if t["unauthorized"] else "other", "side": t["side"],
                           "score": t["score"], "reasons": t["reasons"] or ""} for t in sel])
    points = alt.Chart(frame).mark_point(filled=True).encode(
        x=alt.X("time:T", title="time (UTC)", scale=alt.Scale(type="utc")), y=alt.Y("price:Q", title=f"price ({pair})"),
        color=alt.Color("trade:N", scale=alt.Scale(domain=["unauthorised", "other"], range=["#d62728", "#1f77b4"])),
        shape="side:N", tooltip=["time", "side", "price", "reference", "score", "reasons"])
    reference = alt.Chart(frame.dropna(subset=["reference"])).mark_line(color="gray", strokeDash=[4, 3]).encode(
        x=alt.X("time:T", scale=alt.Scale(type="utc")), y="reference:Q")
    st.altair_chart(points + reference, width="stretch")
    st.caption("Dots: fills (red: judged unauthorised). Dashed line: the reference price (median close over "
               "the 24 hours before the trade's hour).")
    ui.table([{"time (UTC)": t["time_utc"].strftime("%Y-%m-%d %H:%M:%S"), "pair": t["pair"], "side": t["side"],
               "price": ui.dec(t["price"]), "quantity": ui.dec(t["quantity"]),
               "reference": ui.dec(t["reference_price"]),
               "unauthorised": t["unauthorized"], "reasons": t["reasons"] or "",
               "evidence": f"{t['evidence_sha256'][:12]} row {t['source_row']}"} for t in sel], key="av_table")


def _evidence(coverage: list[dict[str, Any]], conflicts: list[dict[str, Any]]) -> None:
    """Which periods the account's evidence covers, the gaps, and where its kinds of evidence disagree."""
    st.subheader("Evidence coverage")
    covered = [c for c in coverage if c["kind"] != "none"]
    if not covered:
        st.warning("No evidence of this account's executions (trade history, filled orders or statement) is in "
                   "the database: nothing can be concluded about unauthorised trading.")
    else:
        ui.table([{"evidence": COVERAGE_KINDS.get(c["kind"], c["kind"]),
                   "from (UTC)": c["first_utc"].strftime("%Y-%m-%d %H:%M:%S"),
                   "to (UTC)": c["last_utc"].strftime("%Y-%m-%d %H:%M:%S"), "files": c["files"], "rows": c["rows"]}
                  for c in covered], key="av_coverage")
    for gap in (c for c in coverage if c["kind"] == "none"):
        st.warning(f"No evidence covers {gap['first_utc']:%Y-%m-%d %H:%M} to {gap['last_utc']:%Y-%m-%d %H:%M} UTC: "
                   "nothing is concluded about trading in this period.")
    if conflicts:
        st.subheader("Conflicts between kinds of evidence")
        st.caption("Where two records of the same executions disagree, the higher kind (fills over orders over "
                   "statements) is kept as the executions and the disagreement is listed here, never merged.")
        ui.table([{"time (UTC)": c["time_utc"].strftime("%Y-%m-%d %H:%M:%S"), "conflict": c["conflict"],
                   "kept": f"{c['kept_from'] or ''} {c['kept_value'] or ''}".strip(),
                   "other": f"{c['other_from']} {c['other_value'] or ''}".strip(),
                   "other evidence": f"{c['other_sha256'][:12]} rows {c['other_rows']}", "detail": c["detail"]}
                  for c in conflicts], key="av_conflicts")


if __name__ == "__main__":
    render()
