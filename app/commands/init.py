"""keytrace init: create or migrate the database, the key file and the evidence folder."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.workspace import Workspace
from ingest.reconcile import derive_after_upgrade


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("init", help="create or migrate the database",
                       description="Create the database (or apply new migrations), the 0600 key file "
                                   "unless KEYTRACE_SECRET_KEY is set, and the encrypted evidence folder.",
                       epilog="Example: keytrace --db case.duckdb init")
    p.add_argument("--self-signed-cert", action="store_true",
                   help="also make a self-signed PKCS#12 certificate (<db>.signing.p12) to sign trial reports")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    applied = ws.init()
    derive_after_upgrade(ws, applied)  # an older database's evidence gets its executions
    version = ws.db.schema_version()
    text = (f"Database {ws.settings.db_path} is at schema version {version}"
            + (f" (applied {', '.join(str(v) for v in applied)})." if applied else " (already current)."))
    data: dict[str, object] = {"db": str(ws.settings.db_path), "schema_version": version, "applied": applied}
    if getattr(args, "self_signed_cert", False):
        from reports.sign import create_self_signed

        cert = create_self_signed(ws)
        text += f" Trial signing certificate (self-signed, not for court use): {cert}."
        data["signing_certificate"] = str(cert)
    emit(args, text, data)
    return 0
