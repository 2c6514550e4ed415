"""keytrace export KIND --out FILE.csv: canonical tables as CSV (columns fixed in ARCHITECTURE.md).

Each export is one entry of :data:`EXPORTS`: the query ``queries/sql/exports/<kind>.sql`` that selects the
rows and the exact column order. Add ``trades`` or ``findings`` by adding a file and an entry; the
command and its tests pick them up. Rows stream in batches, so memory stays flat on big tables.
"""

from __future__ import annotations

import argparse
import csv
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from app.cli import add_json_flag, emit, require_folder_of
from core.errors import InputError, UsageError
from core.workspace import Workspace
from queries import runner


@dataclass(frozen=True)
class Export:
    query: str
    columns: tuple[str, ...]
    what: str


EXPORTS: dict[str, Export] = {
    "trades": Export("exports/trades",
                     ("exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity",
                      "fee", "fee_asset", "evidence_sha256", "source_row", "derived_from", "corroborated_by",
                      "other_evidence"),
                     "reconciled executions"),
    "transfers": Export("exports/transfers",
                        ("chain_id", "block_number", "time_utc", "tx_hash", "log_index", "token", "from", "to",
                         "value"),
                        "on-chain transfers"),
    "findings": Export("exports/findings",
                       ("exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity",
                        "score", "reasons", "loss_usd"),
                       "unauthorised trades"),
}


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("export", help="write a canonical table as CSV",
                       description="Write a canonical table as UTF-8 CSV with a header row; amounts are "
                                   "exact decimal strings, times ISO 8601 UTC with Z. Kinds: "
                                   + ", ".join(f"{k} ({e.what})" for k, e in EXPORTS.items()) + ".",
                       epilog="Example: keytrace --db case.duckdb export transfers --out transfers.csv")
    p.add_argument("kind", choices=sorted([*EXPORTS, "parquet"]), metavar="KIND",
                   help=" | ".join(sorted(EXPORTS)) + " | parquet DIR (every canonical table, Hive-partitioned)")
    p.add_argument("dir", nargs="?", type=Path, metavar="DIR", help="with parquet: the folder to write")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="the CSV file to write (required for CSV kinds)")
    add_json_flag(p)
    p.set_defaults(func=run)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[-+]?\d+(\.\d+)?$")


def _cell(value: Any) -> str:
    """The CSV text of a value; text a spreadsheet would run as a formula gets a leading apostrophe."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_START) and not _NUMBER.match(text):
        return "'" + text
    return text


def run(args: argparse.Namespace) -> int:
    if args.kind == "parquet":
        from app.commands.parquet import run_export

        if args.dir is None:
            raise UsageError("keytrace export parquet needs the folder to write: keytrace export parquet DIR")
        return run_export(args)
    if args.out is None or args.dir is not None:
        raise UsageError(f"keytrace export {args.kind} writes one CSV file: give --out FILE.csv")
    export = EXPORTS[args.kind]
    out: Path = args.out
    require_folder_of(out)
    if out.is_dir():
        raise InputError(f"{out} is a folder; give --out a file name")
    ws = Workspace.open(args.db)
    if not ws.db.exists():
        raise UsageError(f"there is no keytrace database at {ws.db.path}; run `keytrace init` first")
    tmp = out.with_name(out.name + ".partial")
    count = 0
    with ws.db.read() as con:
        cur = runner.cursor(con, export.query)
        names = tuple(d[0] for d in cur.description or [])
        if names != export.columns:
            raise UsageError(f"the {args.kind} export query returns {names}, not {export.columns}")
        try:
            fh = tmp.open("w", newline="", encoding="utf-8")
        except OSError as exc:
            raise InputError(f"{out} cannot be written ({exc.strerror or exc})") from exc
        with fh:
            writer = csv.writer(fh, lineterminator="\n")
            writer.writerow(export.columns)
            while True:
                batch = cur.fetchmany(10_000)
                if not batch:
                    break
                writer.writerows([_cell(v) for v in row] for row in batch)
                count += len(batch)
    os.replace(tmp, out)
    emit(args, f"Wrote {count} {export.what} to {out}.", {"kind": args.kind, "rows": count, "out": str(out)})
    return 0
