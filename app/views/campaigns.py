"""Investigators: a timeline of the attack bursts across accounts, one bar per account and campaign, and
the chosen campaign ten minutes at a time."""

from __future__ import annotations

import streamlit as st

from app import analysis, ui


def render() -> None:
    ws, user = ui.guard("campaigns")
    st.title("Campaign timeline")
    rows = analysis.run(ws, user, "pages/campaign_participation")
    if not rows:
        st.info("No campaigns yet: `keytrace detect` groups unauthorised trades into campaigns.")
        return
    import altair as alt
    import pandas as pd

    frame = pd.DataFrame([{"campaign": f"{r['campaign_id']} ({r['pair']})", "account": f"{r['exchange']}:{r['account']}",
                           "start": r["first_utc"], "end": r["last_utc"], "trades": r["trades"],
                           "loss (USD)": float(r["loss_usd"])} for r in rows])
    utc = alt.Scale(type="utc")
    st.markdown("**All campaigns** (one dot per account burst, sized by the loss)")
    overview = alt.Chart(frame).mark_circle(opacity=0.8).encode(
        x=alt.X("start:T", title="time (UTC)", scale=utc), y=alt.Y("campaign:N", title=None),
        size=alt.Size("loss (USD):Q", legend=None), color=alt.Color("campaign:N", legend=None),
        tooltip=["campaign", "account", "start", "end", "trades", "loss (USD)"])
    st.altair_chart(overview, width="stretch")
    names = list(dict.fromkeys(frame["campaign"]))
    chosen = st.selectbox("Zoom into a campaign", names, key="cp_campaign")
    one = frame[frame["campaign"] == chosen]
    bursts = (alt.Chart(one).mark_bar(size=14).encode(
        x=alt.X("start:T", title="time (UTC)", scale=utc, axis=alt.Axis(format="%H:%M")), x2="end:T",
        y=alt.Y("account:N", sort=None, title=None), color=alt.value("#d62728"),
        tooltip=["account", "start", "end", "trades", "loss (USD)"])
        .properties(height=max(120, 28 * len(one))))
    st.markdown(f"**{ui.md(chosen)}**: each bar is one account's burst of attack trades")
    st.altair_chart(bursts, width="stretch")
    campaign_id = next(r["campaign_id"] for r in rows if f"{r['campaign_id']} ({r['pair']})" == chosen)
    st.markdown("**Ten minutes at a time**: the campaign's unauthorised trades by account")
    ui.table([{"from (UTC)": t["bucket_utc"].strftime("%Y-%m-%d %H:%M"), "exchange": t["exchange"],
               "account": t["account"], "trades": t["trades"], "sells": t["sells"], "buys": t["buys"],
               "buys above fair price": t["buys_above_fair"], "pairs": t["pairs"],
               "loss (USD)": ui.usd_exact(t["loss_usd"]) if t["loss_usd"] is not None else "not priced"}
              for t in analysis.run(ws, user, "report/campaign_timeline", campaign_id=campaign_id)],
             key="cp_timeline")
    ui.table([{"campaign": r["campaign_id"], "pair": r["pair"], "exchange": r["exchange"], "account": r["account"],
               "first (UTC)": r["first_utc"].strftime("%Y-%m-%d %H:%M:%S"),
               "last (UTC)": r["last_utc"].strftime("%Y-%m-%d %H:%M:%S"), "trades": r["trades"],
               "loss (USD)": f"{r['loss_usd']:,.2f}"} for r in rows], key="cp_table")


if __name__ == "__main__":
    render()
