"""Helpers for the format tests: ingest a fixture through the real pipeline and read back what it stored."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from core.db import rows
from core.workspace import Workspace
from ingest.api import IngestResult, ingest_file

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
EXPORTS = FIXTURES / "exchange_exports"

PROVENANCE = ("ingest_run_id",)


def ingest(ws: Workspace, name: str | Path, **kwargs: Any) -> IngestResult:
    path = name if isinstance(name, Path) else EXPORTS / name
    return ingest_file(ws, path, **kwargs)


def stored(ws: Workspace, table: str, where: str = "TRUE", params: list[Any] | None = None) -> list[dict[str, Any]]:
    """Rows of ``table`` in source order, without the run id (it is random)."""
    order = {"price_bars": "1", "api_keys": "1", "bot_orders": "source_row, time_utc"}.get(table,
                                                                                      "source_row, occurrence")
    with ws.db.read() as con:
        got = rows(con, f"SELECT * FROM {table} WHERE {where} ORDER BY {order}", params or [])
    for r in got:
        for k in PROVENANCE:
            r.pop(k, None)
    return got


def table_counts(ws: Workspace) -> dict[str, int]:
    tables = ("trades", "orders", "ledger_movements", "price_bars", "bot_orders", "api_keys", "evidence_files",
              "ingest_runs", "audit_log", "ingest_rejects")
    with ws.db.read() as con:
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]) for t in tables}


def D(text: str) -> Decimal:
    return Decimal(text)


def parse_only(path: Path, *, dayfirst: bool = False, api_key_fingerprint: str | None = None
               ) -> dict[str, list[dict[str, Any]]]:
    """The canonical rows the pipeline's parse step (prepare, sniff, stage) makes of a file, by format name;
    nothing is merged. Raises ValidationError when a row is bad."""
    import duckdb

    from ingest import load
    from ingest.convert import prepare
    from ingest.formats.base import Options, spec_named
    from ingest.sniff import decode_head, read_head, sniff_text

    out: dict[str, list[dict[str, Any]]] = {}
    with load.staging_dir() as workdir:
        csv_path = prepare(path, read_head(path), workdir, path.name) or path
        complete = csv_path.stat().st_size <= len(read_head(csv_path))
        sniffed = sniff_text(decode_head(read_head(csv_path), path.name, complete=complete), path.name,
                             complete=complete)
        specs = [sniffed.spec, *(spec_named(c) for c in sniffed.spec.companions)]
        options = Options(exchange=sniffed.spec.exchange, dayfirst=dayfirst, api_key_fingerprint=api_key_fingerprint)
        for i, spec in enumerate(specs):
            sub = workdir / f"part{i}"
            sub.mkdir()
            staged = load.stage(csv_path, sniffed.head, spec, options, sub)
            load.refuse_bad_rows(staged)
            con = duckdb.connect(str(staged.db_path), read_only=True)
            try:
                con.execute("SET TimeZone = 'UTC'")
                out[spec.name] = rows(con, "SELECT * FROM final ORDER BY source_row")
            finally:
                con.close()
    return out
