"""keytrace init: create or migrate the database, the key file and the evidence folder."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create or migrate the database",
                       description="Create the database (or apply new migrations), the 0600 key file "
                                   "unless KEYTRACE_SECRET_KEY is set, and the encrypted evidence folder.",
                       epilog="Example: keytrace --db case.duckdb init")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    applied = ws.init()
    version = ws.db.schema_version()
    text = (f"Database {ws.settings.db_path} is at schema version {version}"
            + (f" (applied {', '.join(str(v) for v in applied)})." if applied else " (already current)."))
    emit(args, text, {"db": str(ws.settings.db_path), "schema_version": version, "applied": applied})
    return 0
