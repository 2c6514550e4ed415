"""keytrace audit verify|data: check the hash chain of the audit trail, and what the tables hold."""

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
    d = asub.add_parser("data", help="check what the tables hold: schemas and consistency audits",
                        description="Check the stored tables in the database: the schemas of executions, "
                                    "trades, ledger movements and unauthorised trades (pandera, run in "
                                    "DuckDB through ibis: sides, positive prices and quantities, one row per "
                                    "identity) and the consistency audits of queries/sql/audits (a finding "
                                    "without evidence, a haircut trace that creates value, ...). Exit 1 when "
                                    "anything fails, with one sentence per failure.",
                        epilog="Example: keytrace --db case.duckdb audit data --json")
    add_json_flag(d)
    d.set_defaults(func=run_data)


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


def run_data(args: argparse.Namespace) -> int:
    from queries import runner, schemas

    ws = Workspace.open(args.db)
    with ws.db.read() as con:
        violations = schemas.validate(con)
        audits = runner.run_audits(con)
    failed = {name: got for name, got in audits.items() if got}
    lines = [v.sentence() for v in violations]
    lines += [f"{name} returned {len(got):,} rows that must not exist ({runner.header(name).splitlines()[0]})"
              for name, got in failed.items()]
    ok = not lines
    text = (f"Data checks passed: {len(schemas.SCHEMAS)} table schemas and {len(audits)} audits." if ok
            else "Data checks FAILED:\n" + "\n".join(f"- {line}" for line in lines))
    emit(args, text, {"ok": ok, "schema_violations": [v.sentence() for v in violations],
                      "audits": {name: len(got) for name, got in audits.items()}})
    return 0 if ok else 1
