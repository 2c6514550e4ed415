"""The claim workflow, free of any user interface: the pages and ``keytrace claims`` both use it.

Statuses: submitted → in_review → verified | rejected (with a reason the victim sees) | referred (to law
enforcement) → closed; a rejected, referred or closed claim can be reopened to in_review.

Rules every function keeps:
* the actor's role is checked against :mod:`app.access` before any query;
* a victim reaches only their own claims: someone else's claim is "not found", never "forbidden";
* personal data (contact details, statement, reasons, notes, disputes) is sealed with the field key
  into the ``*_enc`` columns; the raw API key is fingerprinted at once and never kept;
* text fields are scanned for secrets (:mod:`app.secrets_scan`) before anything is written;
* every change is one write transaction with its :func:`core.audit.record` entry (no personal data in
  the audit details);
* internal notes are never returned to a victim.

What it reads is queries/sql/claims/claim*.sql (a victim's queries are bound with their own id as
``$owner_id``); its writes, single-row statements by claim id, stay beside the rule that makes each one.
Uploads (app/uploads.py) and what keytrace concluded about a claim (app/claim_findings.py) live apart.
"""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal
from typing import Any

import duckdb

from app import access, auth, secrets_scan
from app.auth import User
from core import audit
from core.db import utcnow
from core.errors import AccessDenied, InputError, NotFound
from core.fingerprint import api_key_fingerprint, normalise_exchange
from core.workspace import Workspace
from ingest import ownership
from ingest.ownership import Challenge, WalletVerification
from queries import runner
from queries.records import Claim, Dispute, History, Note, StatusEntry

STATUSES = ("submitted", "in_review", "verified", "rejected", "referred", "closed")
STATUS_LABELS = {
    "submitted": "Submitted",
    "in_review": "In review",
    "verified": "Verified",
    "rejected": "Rejected",
    "referred": "Referred to law enforcement",
    "closed": "Closed",
}
TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("in_review", "rejected", "closed"),
    "in_review": ("verified", "rejected", "referred", "closed"),
    "verified": ("referred", "closed", "in_review"),
    "rejected": ("in_review", "closed"),
    "referred": ("closed", "in_review"),
    "closed": ("in_review",),
}
MAX_TEXT = 20_000
DUPLICATE_WINDOW = timedelta(minutes=10)  # an identical claim by the same victim within it is refused


# -- helpers -------------------------------------------------------------------------------------
# direction overrides and isolates (the "Trojan Source" characters) and control characters other than
# tab and line breaks: they let a claim's UID or name display as something it is not
_DISGUISE = re.compile(r"[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u202a-\u202e\u2066-\u2069]")


def clean_text(label: str, value: str | None, *, required: bool = False, limit: int = MAX_TEXT) -> str | None:
    value = value.strip() if value else None
    if not value:
        if required:
            raise InputError(f"{label} is required", column=label)
        return None
    if len(value) > limit:
        raise InputError(f"{label} is longer than {limit:,} characters", column=label)
    if _DISGUISE.search(value):
        raise InputError(f"{label} contains invisible control or text-direction characters (such as U+202E) "
                         "that can make it read differently on screen; remove them", column=label)
    secrets_scan.check(label, value)
    return value


# an exchange's name as a victim may type it ("Exchange name, if other"): it is stored and audited in clear
_EXCHANGE_NAME = re.compile(r"[a-z0-9][a-z0-9 .\-]{0,39}")

# US-dollar amounts as a victim types them: digits with an optional dot and one or two cents digits, and
# optional commas that separate thousands (12500, 12500.00, 12,500.00). Anything else ("12.500,00",
# "12,50", "1,2,3", "12.500") could mean two different amounts, so it is refused, never guessed.
_AMOUNT = re.compile(r"(?:[0-9]+|[0-9]{1,3}(?:,[0-9]{3})+)(?:\.[0-9]{1,2})?")
_HOW_TO_WRITE = ("write it in US dollars with digits, a dot before the cents and, if you like, commas between "
                 "thousands, e.g. 12500, 12500.00 or 12,500.00")


def _money(value: str | Decimal | None) -> Decimal | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, Decimal):
        amount = value
    else:
        text = str(value).strip()
        digits = text[1:].strip() if text.startswith("$") else text
        if digits.startswith("-") and _AMOUNT.fullmatch(digits[1:].strip()):
            raise InputError("the loss must be a positive amount in US dollars", column="claimed loss (USD)")
        if not _AMOUNT.fullmatch(digits):
            raise InputError(f"the loss {text!r} is not an amount keytrace can read without guessing; "
                             + _HOW_TO_WRITE, column="claimed loss (USD)")
        amount = Decimal(digits.replace(",", ""))
    if not amount.is_finite() or amount < 0 or amount >= Decimal(10) ** 15:
        raise InputError("the loss must be a positive amount in US dollars", column="claimed loss (USD)")
    if amount != amount.quantize(Decimal("0.01")):
        raise InputError(f"the loss {value!s} has more than two digits after the dot; " + _HOW_TO_WRITE,
                         column="claimed loss (USD)")
    return amount.quantize(Decimal("0.01"))


def _owner(actor: User) -> int | None:
    """The ``$owner_id`` every claim query is bound with: a victim's own id (their claims only), None for
    staff who may see every claim."""
    if access.can(actor.role, "claims.view_all"):
        return None
    access.require(actor.role, "claims.view_own")
    return actor.id


def load_claim_row(con: duckdb.DuckDBPyConnection, actor: User, claim_id: int) -> dict[str, Any]:
    found = runner.run(con, "claims/claim", {"claim_id": claim_id, "owner_id": _owner(actor)})
    if not found:
        raise NotFound(f"there is no claim {claim_id} that you can see")
    return found[0]


def record(ws: Workspace, con: duckdb.DuckDBPyConnection, actor: User, action: str, claim_id: int,
            details: dict[str, Any] | None = None) -> None:
    audit.record(con, ws.keys, ws.settings, actor=actor.actor, action=action, obj=f"claim:{claim_id}",
                 details=details)


# -- filing --------------------------------------------------------------------------------------
def file_claim(ws: Workspace, actor: User, *, exchange: str, account: str, api_key: str | None = None,
               contact_name: str | None = None, contact_email: str | None = None,
               contact_phone: str | None = None, statement: str | None = None,
               claimed_loss_usd: str | Decimal | None = None) -> int:
    """A victim files a claim; returns its number. The API key's public part is fingerprinted, not kept."""
    access.require(actor.role, "claims.file")
    exch = normalise_exchange(clean_text("exchange", exchange, required=True, limit=40) or "")
    if not _EXCHANGE_NAME.fullmatch(exch):
        raise InputError("the exchange name may hold only letters, digits, spaces, dots and dashes (e.g. binance, "
                         "gate.io, crypto.com)", column="exchange")
    uid = clean_text("exchange UID", account, required=True, limit=100)
    assert uid is not None
    name = clean_text("contact name", contact_name, limit=200)
    email = clean_text("contact e-mail", contact_email, limit=200)
    if email is not None and not auth.EMAIL.match(email):  # the registration's own check
        raise InputError("the e-mail address is not valid", column="contact e-mail")
    phone = clean_text("contact phone", contact_phone, limit=50)
    story = clean_text("what happened", statement)
    loss = _money(claimed_loss_usd)
    fingerprint = None
    if api_key and api_key.strip():
        secrets_scan.check("API key (public part)", api_key.strip(), api_key_field=True)
        fingerprint = api_key_fingerprint(exch, api_key)
    if not (email or phone):
        raise InputError("give an e-mail address or a phone number so that investigators can reach you",
                         column="contact e-mail")
    now = utcnow()
    k = ws.keys
    with ws.db.write() as con:
        # a double click (or a resent form) must not file the same claim twice: inside the write lock, so
        # two submissions racing each other cannot both pass
        same = runner.run(con, "claims/claim_filed_moments_ago", {
            "user_id": actor.id, "exchange": exch, "account": uid, "key_fingerprint": fingerprint,
            "claimed_loss_usd": loss, "since": now - DUPLICATE_WINDOW})[0]["claim_id"]
        if same is not None:
            raise InputError(f"you filed this same claim (claim {same}: same exchange, UID, API key and "
                             "loss) a moment ago, so it was not filed a second time; follow it on the page "
                             "'Follow my claims'", column="claim")
        claim_id = int(con.execute(
            "INSERT INTO claims (user_id, exchange, account, key_fingerprint, contact_name_enc, contact_email_enc, "
            "contact_phone_enc, statement_enc, claimed_loss_usd, status, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'submitted', ?, ?) RETURNING id",
            [actor.id, exch, uid, fingerprint, k.seal(name, "claims.contact_name"),
             k.seal(email, "claims.contact_email"), k.seal(phone, "claims.contact_phone"),
             k.seal(story, "claims.statement"), loss, now, now]).fetchall()[0][0])
        con.execute("INSERT INTO claim_status_history (claim_id, at_utc, actor_user_id, status) "
                    "VALUES (?, ?, ?, 'submitted')", [claim_id, now, actor.id])
        record(ws, con, actor, "claim.filed", claim_id,
                {"exchange": exch, "key_fingerprint": fingerprint, "status": "submitted"})
    return claim_id


# -- reading -------------------------------------------------------------------------------------
def get_claim(ws: Workspace, actor: User, claim_id: int) -> Claim:
    with ws.db.read() as con:
        return claim_on(ws, con, actor, claim_id)


def claim_on(ws: Workspace, con: duckdb.DuckDBPyConnection, actor: User, claim_id: int) -> Claim:
    k = ws.keys
    r = load_claim_row(con, actor, claim_id)
    ev = runner.run(con, "claims/claim_files", {"claim_id": claim_id})
    wallets = runner.run(con, "claims/claim_wallets", {"claim_id": claim_id})
    return Claim(
        id=int(r["id"]), user_id=int(r["user_id"]), exchange=r["exchange"], account=r["account"],
        key_fingerprint=r["key_fingerprint"],
        contact_name=k.open(r["contact_name_enc"], "claims.contact_name"),
        contact_email=k.open(r["contact_email_enc"], "claims.contact_email"),
        contact_phone=k.open(r["contact_phone_enc"], "claims.contact_phone"),
        statement=k.open(r["statement_enc"], "claims.statement"),
        claimed_loss_usd=r["claimed_loss_usd"], status=r["status"],
        assigned_to=r["assigned_to"], assigned_username=r["assigned_username"],
        created_at=r["created_at"], updated_at=r["updated_at"], evidence=ev, wallets=wallets)


def claimed_by_another(con: duckdb.DuckDBPyConnection, claim: Claim) -> bool:
    """Does another person hold an open claim (not rejected or closed) on the same account?"""

    found = runner.run(con, "claims/account_claimed_by_others", {"claim_id": claim.id})
    return bool(found and found[0]["claimed"])


def claimed_by_someone_else(ws: Workspace, actor: User, claim_id: int) -> bool:
    """Does another person hold an open claim on the account this claim names?"""
    with ws.db.read() as con:
        return claimed_by_another(con, claim_on(ws, con, actor, claim_id))


def list_claims(ws: Workspace, actor: User, *, status: str | None = None, exchange: str | None = None,
                assigned_to: int | None = None, unassigned: bool = False,
                search: str | None = None) -> list[dict[str, Any]]:
    """One row per claim (no personal data): id, exchange, account, status, loss, assignee, dates."""
    owner = _owner(actor)
    if status is not None and status not in STATUSES:
        raise InputError(f"unknown status {status!r}; the statuses are {', '.join(STATUSES)}", column="status")
    term = search.strip() if search and search.strip() else None
    with ws.db.read() as con:
        return runner.run(con, "claims/claim_list", {
            "owner_id": owner, "status": status, "exchange": normalise_exchange(exchange) if exchange else None,
            "assigned_to": assigned_to, "unassigned": unassigned, "search": term})


def history(ws: Workspace, actor: User, claim_id: int) -> History:
    """Status history and disputes; internal notes only for roles that may read them."""
    with ws.db.read() as con:
        return history_on(ws, con, actor, claim_id)


def history_on(ws: Workspace, con: duckdb.DuckDBPyConnection, actor: User, claim_id: int) -> History:
    k = ws.keys
    load_claim_row(con, actor, claim_id)
    one = {"claim_id": claim_id}
    st = runner.run(con, "claims/claim_statuses", one)
    ds = runner.run(con, "claims/claim_disputes", one)
    ns = runner.run(con, "claims/claim_notes", one) if access.can(actor.role, "claims.read_notes") else []
    return History(
        statuses=[StatusEntry(r["at_utc"], r["status"], k.open(r["reason_enc"], "claims.status_reason"),
                              r["actor_user_id"]) for r in st],
        disputes=[Dispute(r["at_utc"], k.open(r["text_enc"], "claims.dispute") or "") for r in ds],
        notes=[Note(r["at_utc"], r["username"] or "?", k.open(r["note_enc"], "claims.note") or "") for r in ns])


# -- the workflow --------------------------------------------------------------------------------
def set_status(ws: Workspace, actor: User, claim_id: int, status: str, reason: str | None = None) -> None:
    access.require(actor.role, "claims.set_status")
    if status not in STATUSES:
        raise InputError(f"unknown status {status!r}; the statuses are {', '.join(STATUSES)}", column="status")
    why = clean_text("reason", reason, limit=2000)
    if status == "rejected" and not why:
        raise InputError("a rejection needs a reason, which the victim will see", column="reason")
    now = utcnow()
    with ws.db.write() as con:
        current = load_claim_row(con, actor, claim_id)["status"]
        if status not in TRANSITIONS[current]:
            allowed = ", ".join(STATUS_LABELS[s].lower() for s in TRANSITIONS[current])
            raise InputError(f"a claim that is {STATUS_LABELS[current].lower()} can only become: {allowed}",
                             column="status")
        con.execute("UPDATE claims SET status = ?, updated_at = ? WHERE id = ?", [status, now, claim_id])
        con.execute("INSERT INTO claim_status_history (claim_id, at_utc, actor_user_id, status, reason_enc) "
                    "VALUES (?, ?, ?, ?, ?)", [claim_id, now, actor.id, status,
                                                ws.keys.seal(why, "claims.status_reason")])
        record(ws, con, actor, "claim.status_changed", claim_id,
                {"from": current, "to": status, "with_reason": why is not None})


def assign(ws: Workspace, actor: User, claim_id: int, assignee: str | None) -> None:
    """Assign a claim to an investigator (by user name), or unassign it with ``None``."""
    access.require(actor.role, "claims.assign")
    with ws.db.write() as con:
        load_claim_row(con, actor, claim_id)
        uid: int | None = None
        if assignee:
            found = con.execute("SELECT id, role FROM users WHERE username = ? AND NOT disabled",
                                [assignee.strip().lower()]).fetchall()
            if not found or found[0][1] not in ("investigator", "admin"):
                raise InputError(f"{assignee!r} is not an investigator's account", column="assignee")
            uid = int(found[0][0])
        con.execute("UPDATE claims SET assigned_to = ?, updated_at = ? WHERE id = ?", [uid, utcnow(), claim_id])
        record(ws, con, actor, "claim.assigned", claim_id, {"assigned_to": uid})


def add_note(ws: Workspace, actor: User, claim_id: int, text: str) -> None:
    """An internal note: staff only, never shown to the victim."""
    access.require(actor.role, "claims.note")
    note = clean_text("note", text, required=True)
    with ws.db.write() as con:
        load_claim_row(con, actor, claim_id)
        con.execute("INSERT INTO claim_notes (claim_id, at_utc, author_user_id, note_enc) VALUES (?, ?, ?, ?)",
                    [claim_id, utcnow(), actor.id, ws.keys.seal(note, "claims.note")])
        record(ws, con, actor, "claim.note_added", claim_id)


def dispute(ws: Workspace, actor: User, claim_id: int, text: str) -> None:
    """The victim disputes the decision or the computed loss; investigators see it in the queue."""
    access.require(actor.role, "claims.dispute")
    body = clean_text("dispute", text, required=True)
    with ws.db.write() as con:
        row = load_claim_row(con, actor, claim_id)
        if row["status"] == "closed":
            raise InputError("this claim is closed; contact the investigators to reopen it", column="dispute")
        con.execute("INSERT INTO claim_disputes (claim_id, at_utc, text_enc) VALUES (?, ?, ?)",
                    [claim_id, utcnow(), ws.keys.seal(body, "claims.dispute")])
        con.execute("UPDATE claims SET updated_at = ? WHERE id = ?", [utcnow(), claim_id])
        record(ws, con, actor, "claim.disputed", claim_id, {"status": row["status"]})


# -- wallet ownership ----------------------------------------------------------------------------
def wallet_challenge(ws: Workspace, actor: User, claim_id: int, address: str) -> Challenge:
    """A one-time challenge for the victim to sign (EIP-191) to prove they control ``address``."""
    access.require(actor.role, "claims.prove_wallet")
    with ws.db.read() as con:
        load_claim_row(con, actor, claim_id)
    if not address or not address.strip():
        raise InputError("give the wallet address to prove (0x followed by 40 hexadecimal digits)",
                         column="wallet address")
    return ownership.issue_challenge(ws, claim_id, address.strip(), ttl_minutes=30)


def verify_wallet(ws: Workspace, actor: User, claim_id: int, nonce: str, signature: str) -> WalletVerification:
    """Check the pasted signature; the challenge must belong to this claim (and so to this victim)."""
    access.require(actor.role, "claims.prove_wallet")
    with ws.db.read() as con:
        load_claim_row(con, actor, claim_id)
        found = con.execute("SELECT claim_id FROM wallet_challenges WHERE nonce = ?", [nonce]).fetchall()
    if not found or int(found[0][0]) != claim_id:
        raise AccessDenied("this challenge does not belong to this claim")
    if not signature or not signature.strip():
        raise InputError("paste the signature your wallet made (0x followed by 130 hexadecimal digits)",
                         column="signature")
    result = ownership.verify_signature(ws, nonce, signature.strip())
    with ws.db.write() as con:
        record(ws, con, actor, "claim.wallet_checked", claim_id, {"nonce": nonce, "ok": result.ok})
    return result
