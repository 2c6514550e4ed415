"""Investigators: the fund-flow graph of a trace, with its cash-out points."""

from __future__ import annotations

import json
import re
from datetime import UTC

import streamlit as st

from app import access, analysis, ui
from app.auth import User
from core.errors import KeytraceError
from core.workspace import Workspace
from queries.trace import MODELS

EDGE_LIMIT = 300
MAX_HOPS = 10
_SAFE = re.compile(r"[^0-9A-Za-z .,~:_()/-]")


def _label(text: str, limit: int = 60) -> str:
    """Graphviz label text: only safe characters survive (labels come from addresses and label tables)."""
    return _SAFE.sub("", text)[:limit]


def _short(address: str) -> str:
    return address[:8] + "..." + address[-4:] if len(address) > 14 else address


def _trace_form(ws: Workspace, user: User) -> None:
    """Run a trace from the page (the same computation as `keytrace trace`); the new trace is stored."""
    with st.expander("Run a trace", expanded=False), st.form("ff_run"):
        seeds = st.text_area("Start addresses (0x..., one per line)", key="ff_seeds")
        c1, c2 = st.columns(2)
        model = c1.selectbox("Taint model", MODELS, key="ff_model",
                             help="poison: any contact taints all; haircut: proportional; fifo: first in, first out")
        hops = int(c2.number_input("Hops", min_value=1, max_value=MAX_HOPS, value=5, key="ff_hops"))
        if st.form_submit_button("Trace"):
            wanted = [s.strip() for s in seeds.splitlines() if s.strip()]
            if not wanted:
                st.error("Give at least one start address.")
                return
            try:
                with st.spinner("Tracing the funds"):
                    done = analysis.run_trace(ws, user, wanted, model, hops)
            except KeytraceError as exc:
                st.error(f"The trace failed: {exc}")
                return
            st.success(f"Trace {done['trace_id'][:12]} followed {len(done['edges']):,} transfers to "
                       f"{len(done['cash_out_points']):,} cash-out points; pick it below.")


def render() -> None:
    ws, user = ui.guard("fund_flow")
    st.title("Fund flow")
    if access.can(user.role, "trace.run"):
        _trace_form(ws, user)
    traces = analysis.run(ws, user, "pages/trace_list")
    if not traces:
        st.info("No trace has been run yet: run one above, or `keytrace trace --from ADDR --model haircut`.")
        return
    ids = [t["trace_id"] for t in traces]
    by_id = {t["trace_id"]: t for t in traces}
    trace_id = st.selectbox("Trace (run at, UTC)", ids, key="ff_trace", format_func=lambda i: (
        f"{by_id[i]['created_at'].astimezone(UTC):%Y-%m-%d %H:%M} UTC, {by_id[i]['model']} "
        f"{by_id[i]['direction']}, {by_id[i]['hops']} hops, {by_id[i]['edges']} transfers"))
    seeds = set(json.loads(by_id[trace_id]["seeds"] or "[]"))
    edges = analysis.in_token_units(analysis.run(ws, user, "trace/flow_graph", trace_id=trace_id, limit=EDGE_LIMIT),
                                    "tainted")
    cash = analysis.in_token_units(analysis.run(ws, user, "trace/cash_out_points", trace_id=trace_id), "tainted_amount")
    cash_by_addr = {c["address"]: c for c in cash}
    lines = ["digraph flow {", "rankdir=LR;", 'node [shape=box, style="rounded,filled", fillcolor="#f0f0f0", '
             'fontname="Helvetica", fontsize=10];', 'edge [fontname="Helvetica", fontsize=9];']
    nodes = {e["from_address"] for e in edges} | {e["to_address"] for e in edges}
    for n in sorted(nodes):
        if n in seeds:
            lines.append(f'"{_label(n)}" [label="{_label(_short(n))}\\nseed", fillcolor="#ffd6d6"];')
        elif n in cash_by_addr:
            c = cash_by_addr[n]
            lines.append(f'"{_label(n)}" [label="{_label(c["entity"])}\\n{_label(_short(n))}\\ncash-out", '
                         'fillcolor="#d6ecff", shape=doubleoctagon];')
        else:
            lines.append(f'"{_label(n)}" [label="{_label(_short(n))}"];')
    for e in edges:
        lines.append(f'"{_label(e["from_address"])}" -> "{_label(e["to_address"])}" '
                     f'[label="{_label(ui.token_amount(e, short=True))} ({e["transfers"]})", '
                     f'tooltip="{_label(ui.token_amount(e), 200)} in {ui.plural(e["transfers"], "transfer")}"];')
    lines.append("}")
    st.graphviz_chart("\n".join(lines), width="stretch")
    st.caption(f"Red: seed addresses. Blue: cash-out points. Edge labels: tainted amount in token units, "
               f"~ where rounded for the drawing (number of transfers); the table below is exact. The "
               f"{EDGE_LIMIT} largest edges are drawn.")
    st.subheader("Cash-out points")
    if cash:
        ui.table([{"address": c["address"], "entity": c["entity"], "category": c["category"], "token": c["coin"],
                   "tainted amount": ui.token_amount(c),
                   "first (UTC)": c["first_utc"].strftime("%Y-%m-%d %H:%M"),
                   "last (UTC)": c["last_utc"].strftime("%Y-%m-%d %H:%M"), "paths": c["path_count"]}
                  for c in cash], key="ff_cash")
    else:
        st.text("This trace reached no labelled entity.")


if __name__ == "__main__":
    render()
