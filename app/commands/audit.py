"""keytrace audit verify: check the hash chain of the audit trail."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core import audit
from core.errors import AuditChainBroken
from core.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="check the tamper-evident audit trail",
                       description="Audit-trail commands.")
    asub = p.add_subparsers(dest="audit_command", metavar="ACTION")
    asub.required = True
    v = asub.add_parser("verify", help="verify every link of the audit chain",
                        description="Walk the audit trail in order and name the first entry that was "
                                    "edited, deleted or reordered. Exit 1 when the chain is broken, or when "
                                    "its head file (<db>.audit-head) is missing so a deleted tail "
                                    "could not be noticed.",
                        epilog="Example: keytrace --db case.duckdb audit verify --json")
    add_json_flag(v)
    v.set_defaults(func=run_verify)


def run_verify(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    try:
        with ws.db.read() as con:
            count = audit.verify(con, ws.keys, ws.settings)
    except audit.AuditHeadMissing as exc:
        emit(args, f"NOT VERIFIABLE: {exc}", {"ok": False, "broken_at": exc.seq, "reason": str(exc),
                                              "head_missing": True})
        return 1
    except AuditChainBroken as exc:
        emit(args, f"BROKEN: {exc}", {"ok": False, "broken_at": exc.seq, "reason": str(exc)})
        return 1
    emit(args, f"Audit trail intact: {count} entries verified.", {"ok": True, "entries": count})
    return 0
