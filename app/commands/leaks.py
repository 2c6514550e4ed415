"""keytrace leaks import: fingerprint the API keys of a leaked-key dump; keep no secret."""

from __future__ import annotations

import argparse
import getpass
from datetime import date
from pathlib import Path

from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.workspace import Workspace
from ingest.leaks import import_dump


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("leaks", help="import leaked-key dumps (fingerprints only)",
                       description="Leaked-key dump commands.")
    lsub = p.add_subparsers(dest="leaks_command", metavar="ACTION")
    lsub.required = True
    i = lsub.add_parser(
        "import", help="fingerprint the API keys of a dump",
        description="Read a CSV or JSON dump of exchange, API key, secret and passphrase rows in memory and "
                    "keep only sha256(lower(exchange):api_key) per key and the dump's SHA-256. Secrets, "
                    "passphrases and the keys themselves are never written anywhere.",
        epilog="Example: keytrace --db case.duckdb leaks import dump.csv --source pastebin-2022-12-28 "
               "--date 2022-12-28 --json")
    i.add_argument("path", metavar="PATH", type=Path, help="the dump (CSV with a header, JSON or JSON lines)")
    i.add_argument("--source", help="where the dump came from (default: its file name)")
    i.add_argument("--date", dest="leak_date", metavar="D", help="date of the leak, YYYY-MM-DD")
    add_json_flag(i)
    i.set_defaults(func=run_import)


def run_import(args: argparse.Namespace) -> int:
    leak_date = None
    if args.leak_date:
        try:
            leak_date = date.fromisoformat(args.leak_date)
        except ValueError:
            raise UsageError(f"--date {args.leak_date!r} is not a date like 2022-12-28") from None
    ws = Workspace.open(args.db)
    result = import_dump(ws, args.path, actor=f"cli:{getpass.getuser()}", source=args.source,
                         leak_date=leak_date)
    if result.already_imported:
        text = (f"Dump {result.leak_id[:12]} was already imported ({result.key_count} key fingerprints "
                f"from {result.source}); nothing changed.")
    else:
        dup = f", {result.duplicates} duplicate rows ignored" if result.duplicates else ""
        text = (f"Imported {result.key_count} key fingerprints from {result.source} "
                f"(dump {result.leak_id[:12]}{dup}); no secret was stored.")
    emit(args, text, result.as_dict())
    return 0
