"""Investigators: the fund-flow graph of a trace, with its cash-out points."""

from __future__ import annotations

import json
import re

import streamlit as st

from app import analysis, ui

EDGE_LIMIT = 300
_SAFE = re.compile(r"[^0-9A-Za-z .:_()/-]")


def _label(text: str) -> str:
    """Graphviz label text: only safe characters survive (labels come from addresses and label tables)."""
    return _SAFE.sub("", text)[:60]


def _short(address: str) -> str:
    return address[:8] + "..." + address[-4:] if len(address) > 14 else address


def render() -> None:
    ws, user = ui.guard("fund_flow")
    st.title("Fund flow")
    traces = analysis.run(ws, user, "trace_list")
    if not traces:
        st.info("No trace has been run yet: `keytrace trace --from ADDR --model haircut` computes one.")
        return
    ids = [t["trace_id"] for t in traces]
    by_id = {t["trace_id"]: t for t in traces}
    trace_id = st.selectbox("Trace", ids, key="ff_trace", format_func=lambda i: (
        f"{by_id[i]['created_at']:%Y-%m-%d %H:%M} {by_id[i]['model']} {by_id[i]['direction']}, "
        f"{by_id[i]['hops']} hops, {by_id[i]['edges']} transfers"))
    seeds = set(json.loads(by_id[trace_id]["seeds"] or "[]"))
    edges = analysis.run(ws, user, "trace_flow", trace_id=trace_id, limit=EDGE_LIMIT)
    cash = analysis.run(ws, user, "trace_cash_outs", trace_id=trace_id)
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
                     f'[label="{_label(ui.dec(e["tainted"]))} ({e["transfers"]})"];')
    lines.append("}")
    st.graphviz_chart("\n".join(lines), width="stretch")
    st.caption(f"Red: seed addresses. Blue: cash-out points. Edge labels: tainted amount in raw token units "
               f"(number of transfers). The {EDGE_LIMIT} largest edges are drawn.")
    st.subheader("Cash-out points")
    if cash:
        ui.table([{"address": c["address"], "entity": c["entity"], "category": c["category"], "token": c["token"],
                   "tainted amount": ui.dec(c["tainted_amount"]),
                   "first (UTC)": c["first_utc"].strftime("%Y-%m-%d %H:%M"),
                   "last (UTC)": c["last_utc"].strftime("%Y-%m-%d %H:%M"), "paths": c["path_count"]}
                  for c in cash], key="ff_cash")
    else:
        st.text("This trace reached no labelled entity.")


if __name__ == "__main__":
    render()
