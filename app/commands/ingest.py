"""keytrace ingest PATH...: bring exchange exports into the case database (format sniffed per file)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from app.cli import add_json_flag, emit
from core.errors import KeytraceError, Problem, UsageError
from core.progress import Progress
from core.workspace import Workspace
from ingest.api import ingest_file


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "ingest", help="ingest exchange export files (format sniffed from header and name)",
        description="Ingest exchange exports (CSV or XLSX). Each file is stored as evidence, validated "
                    "row by row, and merged: re-ingesting a file adds nothing, an overlapping export "
                    "adds only its new rows. A file with a bad row is refused as a whole unless "
                    "--skip-bad-rows is given.",
        epilog="Example: keytrace ingest Binance-Trade-History.csv --account 123456789 --json")
    p.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="export files")
    p.add_argument("--exchange", metavar="NAME", help="the exchange, when you want it checked")
    p.add_argument("--account", metavar="UID", help="the exchange account (UID), for exports that do not carry it")
    p.add_argument("--skip-bad-rows", action="store_true",
                   help="keep the good rows and store the bad ones in ingest_rejects")
    p.add_argument("--dayfirst", action="store_true",
                   help="read spreadsheet-resaved dates (14/04/2020 10:41) as day/month/year")
    p.add_argument("--delimiter", metavar="CHAR", default=None, choices=[",", ";", "\t", "|"],
                   help="the field separator of a spreadsheet-resaved file (';' for a European re-save); "
                        "without it, a re-save is read only when its header and first rows are unambiguous")
    p.add_argument("--decimal-comma", action="store_true",
                   help="numbers are written 1.234,56 (a European re-save; needs --delimiter)")
    p.add_argument("--api-key", metavar="KEY",
                   help="the API key a key record (Binance apiRestrictions JSON) describes; only its "
                        "fingerprint is kept")
    add_json_flag(p)
    p.set_defaults(func=run)


SHOWN_REJECTS = 10


def _rejects(ws: Workspace, run_id: str, name: str, total: int) -> list[str]:
    """The first rejected rows of one run, each as one sentence naming file, row and column, then the total."""
    with ws.db.read() as con:
        rows = con.execute("SELECT source_row, column_name, reason FROM ingest_rejects WHERE ingest_run_id = ? "
                           "ORDER BY source_row, column_name NULLS FIRST LIMIT ?", [run_id, SHOWN_REJECTS]).fetchall()
        found = int(con.execute("SELECT count(*) FROM ingest_rejects WHERE ingest_run_id = ?",
                                [run_id]).fetchall()[0][0])
    out = [f"  rejected: {Problem(name, int(row), column, reason).sentence()}" for row, column, reason in rows]
    if found > len(rows):
        out.append(f"  ... {found - len(rows)} more problem(s) not shown; all {total} rejected row(s) are in "
                   "ingest_rejects.")
    return out


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    if not ws.db.exists():
        raise UsageError(f"there is no keytrace database at {ws.db.path}; run `keytrace init` first")
    results: list[dict[str, object]] = []
    lines: list[str] = []
    failed: list[KeytraceError] = []
    for path in args.paths:
        with Progress(f"ingesting {path.name}", enabled=not args.json) as bar:
            def report(phase: str, fraction: float, bar: Progress = bar, label: str = path.name) -> None:
                bar.label = f"{label}: {phase}"
                bar.advance(0)
            try:
                res = ingest_file(ws, path, exchange=args.exchange, account=args.account, actor="cli",
                                  skip_bad_rows=args.skip_bad_rows, dayfirst=args.dayfirst, progress=report,
                                  api_key=args.api_key, delimiter=args.delimiter,
                                  decimal_comma=args.decimal_comma)
            except KeytraceError as exc:
                if len(args.paths) == 1:
                    raise
                failed.append(exc)
                sys.stderr.write(f"keytrace: {exc}\n")
                results.append({"source_name": path.name, "error": str(exc)})
                continue
        results.append(res.as_dict())
        owner = f"{res.exchange} account {res.account}" if res.account else res.exchange
        line = (f"{res.source_name}: {res.format} ({owner}): {res.rows_read} rows "
                f"read, {res.rows_added} added, {res.rows_already_known} already known")
        if res.rows_rejected:
            line += f", {res.rows_rejected} rejected (see ingest_rejects, run {res.run_id})"
        lines.append(line + ".")
        lines.extend(f"  note: {note}" for note in res.notices)
        if res.rows_rejected:
            lines.extend(_rejects(ws, res.run_id, res.source_name, res.rows_rejected))
        if res.flagged_count:
            lines.append(f"  warning: {res.flagged_count} row(s) hold formula-like text (stored as inert text), "
                         f"e.g. {res.flagged[0].sentence()}")
    emit(args, "\n".join(lines) or "Nothing ingested.", results)
    return 1 if failed else 0
