"""Investigators: a timeline of the attack bursts across accounts, one bar per account and campaign."""

from __future__ import annotations

import streamlit as st

from app import analysis, ui


def render() -> None:
    ws, user = ui.guard("campaigns")
    st.title("Campaign timeline")
    rows = analysis.run(ws, user, "campaign_timeline")
    if not rows:
        st.info("No campaigns yet: `keytrace detect` groups unauthorised trades into campaigns.")
        return
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame([{"campaign": f"{r['campaign_id']} ({r['pair']})", "account": f"{r['exchange']}:{r['account']}",
                           "start": r["first_utc"], "end": r["last_utc"], "trades": r["trades"],
                           "loss (USD)": float(r["loss_usd"])} for r in rows])
    chart = (alt.Chart(frame).mark_bar(size=14).encode(
        x=alt.X("start:T", title="time (UTC)"), x2="end:T", y=alt.Y("account:N", sort=None, title=None),
        color=alt.Color("campaign:N"), tooltip=["campaign", "account", "start", "end", "trades", "loss (USD)"])
        .properties(height=max(200, 22 * frame["account"].nunique())))
    st.altair_chart(chart, width="stretch")
    ui.table([{"campaign": r["campaign_id"], "pair": r["pair"], "exchange": r["exchange"], "account": r["account"],
               "first (UTC)": r["first_utc"].strftime("%Y-%m-%d %H:%M:%S"),
               "last (UTC)": r["last_utc"].strftime("%Y-%m-%d %H:%M:%S"), "trades": r["trades"],
               "loss (USD)": f"{r['loss_usd']:,.2f}"} for r in rows], key="cp_table")


if __name__ == "__main__":
    render()
