"""keytrace claims list|show|review|receipt: the victims' claims, as the local administrator sees them."""

from __future__ import annotations

import argparse
from typing import Any

from app import claims, uploads
from app.auth import CLI_ADMIN
from app.cli import add_json_flag, emit
from core.workspace import Workspace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("claims", help="list and show victims' claims",
                       description="The victims' claims and their workflow, as the local administrator sees "
                                   "them (contact details are decrypted; handle the output with care).")
    csub = p.add_subparsers(dest="claims_command", metavar="ACTION")
    csub.required = True
    lp = csub.add_parser("list", help="one line per claim",
                         description="One line per claim: number, status, exchange, UID, claimed loss, assignee.",
                         epilog="Example: keytrace --db case.duckdb claims list --status submitted --json")
    lp.add_argument("--status", choices=claims.STATUSES, help="only claims with this status")
    lp.add_argument("--exchange", help="only claims on this exchange")
    add_json_flag(lp)
    lp.set_defaults(func=run_list)
    sp = csub.add_parser("show", help="one claim with its history, notes and uploads",
                         description="One claim: contact details, statement, uploads, proven wallets, status "
                                     "history, disputes and internal notes.",
                         epilog="Example: keytrace --db case.duckdb claims show 3 --json")
    sp.add_argument("id", type=int, metavar="ID", help="claim number")
    add_json_flag(sp)
    sp.set_defaults(func=run_show)
    rp = csub.add_parser("review", help="accept or reject an upload held for review",
                         description="Decide on an upload the screen held back (claims show lists them with "
                                     "their signals): --accept stores its rows in the claimed account, through "
                                     "the ingest's own checks; --reject keeps it in custody and tells the "
                                     "claimant the reason.",
                         epilog="Example: keytrace --db case.duckdb claims review 3 9f2c...e1 --reject "
                                "--reason 'this is another account's export'")
    rp.add_argument("id", type=int, metavar="ID", help="claim number")
    rp.add_argument("sha256", metavar="SHA256", help="the upload's SHA-256 (from claims show)")
    decide = rp.add_mutually_exclusive_group(required=True)
    decide.add_argument("--accept", action="store_true", help="store its rows in the claimed account")
    decide.add_argument("--reject", action="store_true", help="keep it out (needs --reason)")
    rp.add_argument("--reason", help="why it was rejected (the claimant sees it)")
    add_json_flag(rp)
    rp.set_defaults(func=run_review)
    cp = csub.add_parser("receipt", help="the filing receipt: the claim and the SHA-256 of every file",
                         description="The claim's filing receipt as its claimant downloads it: what was filed, "
                                     "when, and the SHA-256 of every file with its state.",
                         epilog="Example: keytrace --db case.duckdb claims receipt 3 > claim3-receipt.txt")
    cp.add_argument("id", type=int, metavar="ID", help="claim number")
    cp.set_defaults(func=run_receipt)


def _money(value: Any) -> str:
    return f"{value:,.2f}" if value is not None else "-"


def run_list(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    found = claims.list_claims(ws, CLI_ADMIN, status=args.status, exchange=args.exchange)
    data = [{"id": r["id"], "status": r["status"], "exchange": r["exchange"], "account": r["account"],
             "claimed_loss_usd": str(r["claimed_loss_usd"]) if r["claimed_loss_usd"] is not None else None,
             "key_fingerprint": r["key_fingerprint"], "assigned_to": r["assigned_to"],
             "uploads": r["uploads"], "wallets": r["wallets"], "disputes": r["disputes"],
             "created_at": r["created_at"].isoformat(), "updated_at": r["updated_at"].isoformat()} for r in found]
    lines = [f"{'ID':>5}  {'STATUS':<10} {'EXCHANGE':<10} {'UID':<20} {'CLAIMED USD':>14}  ASSIGNED"]
    for r in found:
        lines.append(f"{r['id']:>5}  {r['status']:<10} {r['exchange']:<10} {r['account'][:20]:<20} "
                     f"{_money(r['claimed_loss_usd']):>14}  {r['assigned_to'] or '-'}")
    if not found:
        lines = ["No claims."]
    emit(args, "\n".join(lines), data)
    return 0


def run_show(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    c = claims.get_claim(ws, CLI_ADMIN, args.id)
    h = claims.history(ws, CLI_ADMIN, args.id)
    ups = uploads.list_uploads(ws, CLI_ADMIN, args.id)
    data = {
        "id": c.id, "status": c.status, "exchange": c.exchange, "account": c.account,
        "key_fingerprint": c.key_fingerprint, "contact_name": c.contact_name, "contact_email": c.contact_email,
        "contact_phone": c.contact_phone, "statement": c.statement,
        "claimed_loss_usd": str(c.claimed_loss_usd) if c.claimed_loss_usd is not None else None,
        "assigned_to": c.assigned_username, "created_at": c.created_at.isoformat(),
        "updated_at": c.updated_at.isoformat(),
        "uploads": [{"sha256": u.sha256, "name": u.name, "size_bytes": u.size_bytes, "state": u.state,
                     "signals": [{"signal": sg, "detail": d} for sg, d in u.signals]} for u in ups],
        "wallets": [{"address": w["address"], "verified_at": w["verified_at"].isoformat()} for w in c.wallets],
        "history": [{"at": s.at.isoformat(), "status": s.status, "reason": s.reason} for s in h.statuses],
        "disputes": [{"at": d.at.isoformat(), "text": d.text} for d in h.disputes],
        "notes": [{"at": n.at.isoformat(), "author": n.author, "text": n.text} for n in h.notes],
    }
    out = [f"Claim {c.id}: {claims.STATUS_LABELS[c.status]}",
           f"  {c.exchange} UID {c.account}; claimed loss USD {_money(c.claimed_loss_usd)}; "
           f"assigned to {c.assigned_username or '-'}",
           f"  key fingerprint: {c.key_fingerprint or '-'}",
           f"  contact: {c.contact_name or '-'} / {c.contact_email or '-'} / {c.contact_phone or '-'}",
           f"  statement: {c.statement or '-'}",
           f"  uploads: {len(c.evidence)}; wallets proven: {', '.join(w['address'] for w in c.wallets) or '-'}",
           "  history:"]
    held = [f"  {u.state_label.lower()}: {u.name} {u.sha256}" + "".join(f"\n    {sg}: {d}" for sg, d in u.signals)
            for u in ups if u.state != "accepted"]
    out[6:6] = held
    out += [f"    {s.at:%Y-%m-%d %H:%M:%S}Z {s.status}" + (f" ({s.reason})" if s.reason else "") for s in h.statuses]
    out += [f"  dispute {d.at:%Y-%m-%d %H:%M}Z: {d.text}" for d in h.disputes]
    out += [f"  note {n.at:%Y-%m-%d %H:%M}Z by {n.author}: {n.text}" for n in h.notes]
    emit(args, "\n".join(out), data)
    return 0


def run_review(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    done = uploads.review_upload(ws, CLI_ADMIN, args.id, args.sha256, accept=bool(args.accept), reason=args.reason)
    emit(args, done.message(), done.as_dict())
    return 0


def run_receipt(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    print(uploads.receipt(ws, CLI_ADMIN, args.id), end="")
    return 0
