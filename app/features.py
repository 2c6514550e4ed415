"""Which pages this installation can serve: a page whose data or backend is absent is left out of the
menu rather than shown empty (the analysis pages need migration 008's tables; the legal page needs the
reports package's report builders)."""

from __future__ import annotations

import importlib.util

from app import analysis
from core.workspace import Workspace

ALWAYS = frozenset({"claim_new", "my_claims", "overview", "claims_queue", "sql_console", "users", "key_lookup"})


def reports_available() -> bool:
    try:
        return importlib.util.find_spec("reports.generate") is not None
    except ModuleNotFoundError:
        return False


def available_pages(ws: Workspace) -> frozenset[str]:
    tables = analysis.present(ws)
    keys = set(ALWAYS)
    if analysis.has_detection(tables):
        keys |= {"campaigns", "account"}
    if analysis.has_traces(tables):
        keys.add("fund_flow")
    if reports_available():
        keys.add("reports")
    return frozenset(keys)
