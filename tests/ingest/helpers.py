"""Small helpers shared by the ingest tests: read canonical tables and snapshot the whole database."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from core.db import rows
from core.workspace import Workspace

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "exchange_exports"

TABLES = ("trades", "orders", "ledger_movements", "ingest_runs", "ingest_rejects", "accounts", "evidence_files",
          "evidence_submissions", "custody_log", "audit_log")


def table(ws: Workspace, name: str, order: str = "source_row, occurrence") -> list[dict[str, Any]]:
    with ws.db.read() as con:
        return rows(con, f"SELECT * FROM {name} ORDER BY {order}")


def snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an ingest touches, plus the evidence folder's files."""
    with ws.db.read() as con:
        snap = {t: sorted(map(repr, con.execute(f"SELECT * FROM {t}").fetchall())) for t in TABLES}
    snap["_evidence_files"] = sorted(str(p) for p in ws.settings.evidence_dir.rglob("*") if p.is_file())
    return snap  # type: ignore[return-value]
