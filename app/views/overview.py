"""Investigators: the incident overview (what the database holds; victims and computed losses over time,
by exchange, pair and campaign)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import streamlit as st

from app import access, analysis, ui
from app.auth import User
from app.views import home
from core.errors import KeytraceError
from core.workspace import Workspace
from queries.detect import LOSS_DEFINITION

PAIR_ROWS = 15
STEP_LABELS = {"detection_exclusions": "accounts with disputed evidence", "compromised_keys": "leaked keys", "trade_scores": "scoring every execution",
               "campaign_accounts": "attack sessions", "unauthorized_trades": "losses of unauthorised trades",
               "campaign_account_losses": "losses per campaign", "campaigns": "campaigns",
               "account_losses": "losses per account", "done": "done"}


def _f(value: Any) -> float:
    """Chart coordinates only: the figures shown as numbers stay exact decimals."""
    return float(value) if value is not None else 0.0


def _step_chart(cumulative: Any) -> Any:
    """Stacked cumulative loss per exchange as steps: a loss appears at once on the day it happened."""
    import altair as alt

    long = cumulative.reset_index().melt(id_vars="day", var_name="exchange", value_name="USD")
    long["day"] = long["day"].astype(str)
    return alt.Chart(long).mark_area(interpolate="step-after", line=True).encode(
        x=alt.X("day:T", timeUnit="utcyearmonthdate", title="day (UTC)"),  # UTC, not the browser's zone
        y=alt.Y("USD:Q", title="USD", stack=True),
        color=alt.Color("exchange:N", title="exchange"),
        tooltip=[alt.Tooltip("day:T", timeUnit="utcyearmonthdate", title="day (UTC)"), "exchange:N",
                 alt.Tooltip("USD:Q", format=",.2f", title="cumulative USD")])


def _pair_label(row: dict[str, Any]) -> str:
    if row["kind"] == "other":
        return "all other pairs"
    if row["kind"] == "floor":
        return f"accounts that netted a gain, counted as 0 ({row['accounts']:,})"
    return f"{row['pair']} (netted a gain)" if row["netted_gain"] else str(row["pair"])


def _detection_control(ws: Workspace, user: User) -> None:
    """Run detection from the page, with a progress bar (the same run as `keytrace detect`)."""
    text, stale = analysis.freshness_text(analysis.freshness(ws), staff=True)
    (st.warning if stale else st.caption)(text)
    if st.button("Run detection now", key="ov_detect", icon=":material/play_arrow:", type="primary" if stale else "secondary"):
        bar = st.progress(0.0, text="Starting detection")

        def advance(step: str, fraction: float) -> None:
            bar.progress(fraction, text=f"Detection: {STEP_LABELS.get(step, step)}")

        try:
            done = analysis.run_detection(ws, user, progress=advance)
        except KeytraceError as exc:
            st.error(f"Detection failed: {exc}")
            return
        st.success(f"Detection scored {done['trades_scored']:,} executions: {done['unauthorized']:,} unauthorised "
                   f"trades in {done['accounts']:,} accounts, {done['campaigns']:,} campaigns, loss "
                   f"{ui.usd_exact(Decimal(done['loss_usd']))} USD.")
        for reason in done["excluded"]:
            st.warning(ui.md(reason), icon=":material/block:")


def render() -> None:
    ws, user = ui.guard("overview")
    st.title("Incident overview")
    detection = analysis.has_detection(analysis.present(ws))
    with ws.db.read() as con:  # one connection for every figure of the page
        figures = analysis.holdings_on(con)
        if detection:
            totals = analysis.fetch(con, user, "pages/overview_totals")[0]
            by_day = analysis.fetch(con, user, "pages/losses_by_day")
            ex = analysis.fetch(con, user, "pages/losses_by_exchange")
            pairs = analysis.fetch(con, user, "pages/losses_by_pair", limit=PAIR_ROWS)
            camps = analysis.fetch(con, user, "pages/losses_by_campaign")
    home.render_holdings(figures)
    if access.can(user.role, "detection.run"):
        _detection_control(ws, user)
    if not detection:
        st.info("Detection has not been set up in this database yet (run `keytrace init`, then "
                "`keytrace detect`); its results will appear here.")
        return
    st.subheader("Victims and losses")
    c = [*st.columns(3), *st.columns(3)]  # two rows of three, so that every figure fits its column
    c[0].metric("Computed loss", ui.usd_short(totals["loss_usd"]),
                help=f"Exactly {ui.usd_exact(totals['loss_usd'])} USD. {LOSS_DEFINITION}")
    c[1].metric("Victim accounts", f"{totals['victim_accounts']:,}")
    c[2].metric("Unauthorised trades", f"{totals['unauthorized_trades']:,}")
    c[3].metric("Campaigns", f"{totals['campaigns']:,}")
    c[4].metric("Compromised keys", f"{totals['compromised_keys']:,}")
    if not totals["unauthorized_trades"]:
        st.info("Detection has found no unauthorised trades yet (run `keytrace detect` after ingesting).")
        return
    import pandas as pd

    if by_day:
        frame = pd.DataFrame([{"day": r["day"], "exchange": r["exchange"], "loss": _f(r["loss_usd"])}
                              for r in by_day])
        pivot = frame.pivot_table(index="day", columns="exchange", values="loss", aggfunc="sum").fillna(0)
        st.markdown("**Cumulative computed loss over time (USD, by exchange)**")
        st.altair_chart(_step_chart(pivot.cumsum()), width="stretch")
        st.caption("Each step is a UTC day with unauthorised trades; the loss stays flat between them.")
    left, right = st.columns(2)
    with left:
        st.markdown("**By exchange**")
        st.bar_chart(pd.DataFrame({"exchange": [r["exchange"] for r in ex],
                                   "loss (USD)": [_f(r["loss_usd"]) for r in ex]}), x="exchange",
                     y="loss (USD)", horizontal=True, sort="-loss (USD)")
        ui.table([{"exchange": r["exchange"], "accounts": r["accounts"], "trades": r["trades"],
                   "loss (USD)": f"{r['loss_usd']:,.2f}"} for r in ex], key="ov_exchange")
    with right:
        st.markdown(f"**By pair (largest {PAIR_ROWS} losses; the rows add up to the total)**")
        lost = [r for r in pairs if r["kind"] == "pair" and r["loss_usd"] > 0]
        st.bar_chart(pd.DataFrame({"pair": [r["pair"] for r in lost],
                                   "loss (USD)": [_f(r["loss_usd"]) for r in lost]}), x="pair", y="loss (USD)",
                     horizontal=True, sort="-loss (USD)")
        ui.table([{"pair": _pair_label(r), "accounts": r["accounts"], "trades": r["trades"],
                   "loss (USD)": f"{r['loss_usd']:,.2f}"} for r in pairs], key="ov_pair")
        if any(r["netted_gain"] or r["kind"] == "floor" for r in pairs):
            st.caption("A negative figure: the pair's unauthorised trades received more than their fair value "
                       "(typically the sells that funded a pump, at or above the pre-attack price). An account is "
                       "never counted below zero, so the gains of accounts that netted one are added back in the "
                       "last row.")
    st.markdown("**By campaign**")
    if camps:  # bars by loss, labelled pair first (long campaign ids are cut); the table keeps time order
        st.bar_chart(pd.DataFrame({"campaign": [f"{r['pair']} · {r['campaign_id']}" for r in camps],
                                   "loss (USD)": [_f(r["loss_usd"]) for r in camps]}), x="campaign",
                     y="loss (USD)", horizontal=True, sort="-loss (USD)")
        ui.table([{"campaign": r["campaign_id"], "pair": r["pair"],
                   "start (UTC)": r["start_utc"].strftime("%Y-%m-%d %H:%M"),
                   "end (UTC)": r["end_utc"].strftime("%Y-%m-%d %H:%M"), "accounts": r["accounts"],
                   "trades": r["trades"], "loss (USD)": f"{r['loss_usd']:,.2f}"} for r in camps], key="ov_campaigns")
    else:
        st.text("No campaigns have been grouped yet.")


if __name__ == "__main__":
    render()
