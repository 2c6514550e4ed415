"""keytrace demo: generate the demo incident, load it through the real interfaces, serve the app."""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path
from typing import Any

from app.cli import add_json_flag, emit
from core import audit
from core.errors import InputError, UsageError
from core.workspace import Workspace

DEFAULT_ACCOUNTS = 200
DEMO_ACTIONS = ("demo.started", "demo.built")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "demo", help="build the demo incident and serve the app",
        description="Generate a deterministic 3Commas-style API-key leak incident (exchange exports in their "
                    "real formats, a leaked-key dump, reference klines, on-chain cash-out, claims and the "
                    "ground truth), load it into --db through the same interfaces a user has, then serve "
                    "the app on 127.0.0.1. An earlier demo database at --db is rebuilt from scratch; a "
                    "database holding anything else is refused.",
        epilog="Example: keytrace --db demo/keytrace.duckdb demo --seed 7 --port 8600")
    p.add_argument("--seed", type=int, default=1, help="incident seed: the same seed gives the same files")
    p.add_argument("--port", type=int, default=8501, help="port of the app (default 8501)")
    p.add_argument("--no-serve", action="store_true", help="build only, do not serve the app")
    p.add_argument("--out", type=Path, default=None,
                   help="folder for the generated files (default: <db>.demo-files next to the database)")
    p.add_argument("--accounts", type=int, default=DEFAULT_ACCOUNTS,
                   help=f"number of exchange accounts (default {DEFAULT_ACCOUNTS})")
    add_json_flag(p)
    p.set_defaults(func=run)


def _is_demo_database(ws: Workspace) -> bool:
    """True when the database holds nothing, or only what an earlier demo build put there."""
    with ws.db.read() as con:
        tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
        if "audit_log" not in tables:
            return False
        demo = con.execute("SELECT count(*) FROM audit_log WHERE action IN (?, ?)", list(DEMO_ACTIONS)).fetchall()
        if int(demo[0][0]) > 0:
            return True
        held = con.execute("SELECT count(*) FROM evidence_files").fetchall()
        return int(held[0][0]) == 0


def _remove_database(ws: Workspace) -> None:
    """Delete an earlier demo: the database, its write-ahead log, audit anchor, key file and evidence."""
    s = ws.settings
    beside = s.db_path.with_name
    for path in (s.db_path, beside(s.db_path.name + ".wal"), s.audit_anchor_path):
        path.unlink(missing_ok=True)
    if s.key_file == beside(s.db_path.name + ".key").resolve():
        s.key_file.unlink(missing_ok=True)
    if s.evidence_dir == beside(s.db_path.name + ".evidence").resolve() and s.evidence_dir.is_dir():
        shutil.rmtree(s.evidence_dir)


def _victim_logins(out: Path) -> list[dict[str, str]]:
    """The demo victims' user names and passwords, from the generated claims file."""
    path = out / "claims" / "claims.json"
    if not path.is_file():
        return []
    return [{"username": c["username"], "password": c["password"]}
            for c in json.loads(path.read_text())["claims"]]


def run(args: argparse.Namespace) -> int:
    from incident_demo.build import build
    from incident_demo.generate import generate

    if args.accounts < 20 or args.accounts > 5000:
        raise UsageError("--accounts must be between 20 and 5000")
    ws = Workspace.open(args.db)
    db_path = ws.settings.db_path
    if db_path.exists():
        if not _is_demo_database(ws):
            raise InputError(f"{db_path} holds data that no demo build put there; give `keytrace --db` another "
                             "path for the demo")
        _remove_database(ws)
        ws = Workspace.open(args.db)
    out = (args.out or db_path.with_name(db_path.stem + ".demo-files")).resolve()
    quiet = args.json or not sys.stderr.isatty()

    def say(msg: str) -> None:
        if not args.json:
            sys.stderr.write(f"keytrace demo: {msg}\n")
            sys.stderr.flush()

    started = time.monotonic()
    ws.init()
    from reports.sign import create_self_signed

    # a trial incident gets a trial signer, so the Reports page signs PDFs out of the box
    signer = create_self_signed(ws)
    with ws.db.write() as con:
        audit.record(con, ws.keys, ws.settings, actor="demo", action="demo.started", obj="demo",
                     details={"seed": args.seed, "accounts": args.accounts})
    say(f"generating the incident for seed {args.seed} into {out}")
    gen = generate(out, seed=args.seed, accounts=args.accounts)
    generated_at = time.monotonic()
    say(f"loading {len(gen.files)} files into {db_path.name}")
    report = build(ws, out, progress=None if quiet else say)
    with ws.db.write() as con:
        audit.record(con, ws.keys, ws.settings, actor="demo", action="demo.built", obj="demo",
                     details={"seed": args.seed, "accounts": args.accounts})
    seconds = time.monotonic() - started

    from app.analysis import holdings

    figures = holdings(str(db_path))
    victims = _victim_logins(out)
    data: dict[str, Any] = {
        "db": str(db_path), "out": str(out), "seed": args.seed, "accounts": args.accounts,
        "seconds": round(seconds, 2), "generate_seconds": round(generated_at - started, 2),
        "ground_truth": gen.summary, "steps": [s.as_dict() for s in report.steps],
        "holdings": {label: value for label, value in figures},
        "users": report.users, "victims": victims, "signing_certificate": str(signer),
    }
    lines = [f"Demo incident (seed {args.seed}) built into {db_path} in {seconds:.1f} s; files in {out}."]
    for s in report.steps:
        lines.append(f"  {s.name:<36} {s.files:>5} files {s.rows:>8} rows  {s.detail}".rstrip())
    lines.append("The database holds: " + ", ".join(f"{label.lower()} {value:,}" for label, value in figures) + ".")
    if report.users:
        lines.append("Sign in as " + ", ".join(f"{u['username']} / {u['password']}" for u in report.users)
                     + (f", or as a victim: {victims[0]['username']} / {victims[0]['password']}" if victims else "")
                     + f" (every victim's log-in: {out / 'claims' / 'claims.json'}).")
    lines.append(f"Reports are signed with a self-signed trial certificate ({signer.name}), not for court use; "
                 "`keytrace report verify FILE --trust-trial-cert` trusts it.")
    emit(args, "\n".join(lines), data)
    if args.no_serve:
        return 0
    from app.commands.serve import serve

    return serve(db_path, args.port)
