"""keytrace leaks import: fingerprint the API keys of a leaked-key dump; keep no secret."""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date
from pathlib import Path

from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.workspace import Workspace
from ingest.leaks import find_key, import_dump


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
    c = lsub.add_parser(
        "check", help="is an API key in an imported leak?",
        description="Fingerprint one API key (sha256(lower(exchange):key)) and list the imported dumps that "
                    "hold it. The key is not stored; give - to read it from standard input instead of the "
                    "command line (shell history).",
        epilog="Example: echo \"$KEY\" | keytrace --db case.duckdb leaks check --exchange binance --api-key - --json")
    c.add_argument("--exchange", required=True, help="the exchange the key belongs to")
    c.add_argument("--api-key", required=True, metavar="KEY", help="the API key, or - to read it from stdin")
    add_json_flag(c)
    c.set_defaults(func=run_check)


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


def run_check(args: argparse.Namespace) -> int:
    key = sys.stdin.readline().strip() if args.api_key == "-" else args.api_key
    ws = Workspace.open(args.db)
    fingerprint, hits = find_key(ws, args.exchange, key)
    del key
    if hits:
        where = "; ".join(f"{h.source}{f' ({h.leak_date})' if h.leak_date else ''}, row {h.source_row}" for h in hits)
        text = f"The key (fingerprint {fingerprint[:12]}) is in {len(hits)} leaked dump(s): {where}."
    else:
        text = f"The key (fingerprint {fingerprint[:12]}) is in none of the imported leaked dumps."
    emit(args, text, {"fingerprint": fingerprint, "leaked": bool(hits),
                      "dumps": [{"leak_id": h.leak_id, "source": h.source,
                                 "leak_date": h.leak_date.isoformat() if h.leak_date else None,
                                 "exchange": h.exchange, "source_row": h.source_row} for h in hits]})
    return 0
