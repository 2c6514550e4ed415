"""keytrace labels import PATH: address labels (exchanges, bridges, mixers) from a CSV file."""

from __future__ import annotations

import argparse
from pathlib import Path

from app.cli import add_json_flag, emit
from core.workspace import Workspace
from ingest.labels import CATEGORIES, import_labels


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("labels", help="import address labels", description="Address-label commands.")
    lsub = p.add_subparsers(dest="labels_command", metavar="ACTION")
    lsub.required = True
    imp = lsub.add_parser(
        "import", help="import address labels from CSV",
        description="Import address labels from a CSV file with the columns address, entity, category ("
                    + ", ".join(CATEGORIES) + ") and optionally chain_id, source and confidence (0-100). "
                    "Tracing stops at exchanges, bridges and mixers. One bad row refuses the whole file.",
        epilog="Example: keytrace --db case.duckdb labels import labels.csv")
    imp.add_argument("path", type=Path, metavar="PATH", help="the CSV file")
    add_json_flag(imp)
    imp.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    r = import_labels(ws, args.path)
    emit(args, f"Imported {r.rows} labels from {r.file}: {r.added} new, {r.updated} updated.",
         {"file": r.file, "rows": r.rows, "added": r.added, "updated": r.updated,
          "evidence_sha256": r.evidence_sha256})
    return 0
