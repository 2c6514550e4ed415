"""A claim's uploads: attaching an export (screened first), staff review, withdrawal and the filing receipt.

An upload is checked against the claimed account before any of its rows become shared data
(``queries/sql/claims/screen_upload.sql``, run on the merged but uncommitted rows): the file naming another account
in its rows, the same file or the same executions already belonging to another account or person, or a
period where it and the account's other evidence disagree. A suspicious upload is *quarantined*: the
merge is rolled back, the file is kept encrypted and hashed in the evidence store, and the claim lists
it with its signals (the claims queue shows them as fraud signals) until staff accept it (its rows are
then stored as any upload's) or reject it.

A claimant can *withdraw* an upload: the file stays in custody (evidence store, custody log) and is
marked withdrawn; the rows it added to the account are removed and the account's executions are
re-derived, in one transaction.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb

from app import access, claims, secrets_scan
from app.auth import User
from core import audit, evidence
from core.db import rows, utcnow
from core.errors import AccountMismatch, InputError, NotFound, Quarantined, UnsafeFileError
from core.workspace import Workspace
from queries import runner

MAX_UPLOAD_BYTES = 200 * 1024 * 1024  # the same limit as the served app's --server.maxUploadSize
MAX_UPLOADS_PER_CLAIM = 50
STATE_LABELS = {"accepted": "Accepted", "quarantined": "Held for review", "rejected": "Rejected by staff",
                "withdrawn": "Withdrawn"}
ACCOUNT_TABLES = ("trades", "orders", "ledger_movements", "bot_orders", "api_keys")
ProgressFn = Callable[[float, str], None]
_STAGES = {"hashing": "Checking the file", "reading": "Reading the rows", "validating": "Checking every row",
           "merging": "Storing the rows", "done": "Rows stored"}


@dataclass(frozen=True)
class UploadOutcome:
    """What became of one upload: its rows stored (accepted) or the file held for review (quarantined)."""

    state: str                      # accepted | quarantined
    evidence_sha256: str
    source_name: str
    rows_read: int | None
    rows_added: int | None
    rows_known: int | None
    signals: tuple[tuple[str, str], ...] = ()
    ingest: dict[str, Any] | None = None   # the ingest summary (accepted uploads)

    def message(self, quote: Callable[[str], str] = str) -> str:
        """One sentence for the person who uploaded it; ``quote`` escapes the file's own text for display
        (its name, and the accounts and assets the screen quotes from it)."""
        if self.state == "quarantined":
            return (f"{quote(self.source_name)} was received and kept (SHA-256 {self.evidence_sha256}), but it is "
                    "held for review before its rows count for this claim: "
                    + "; ".join(quote(detail) for _signal, detail in self.signals)
                    + ". An investigator will look at it; you can withdraw it if it was the wrong file.")
        if self.state == "rejected":
            return f"{quote(self.source_name)} was rejected; it stays in custody."
        return (f"{quote(self.source_name)}: read {self.rows_read or 0:,} rows, {self.rows_added or 0:,} new, "
                f"{self.rows_known or 0:,} already known (SHA-256 {self.evidence_sha256}).")

    def as_dict(self) -> dict[str, Any]:
        return {"state": self.state, "evidence_sha256": self.evidence_sha256, "source_name": self.source_name,
                "rows_read": self.rows_read, "rows_added": self.rows_added, "rows_already_known": self.rows_known,
                "signals": [{"signal": s, "detail": d} for s, d in self.signals], "message": self.message(),
                **({"ingest": self.ingest} if self.ingest else {})}


def _screen(claim_id: int) -> Callable[[duckdb.DuckDBPyConnection, str, str, str], list[tuple[str, str]]]:
    def screen(con: duckdb.DuckDBPyConnection, sha: str, exchange: str, account: str) -> list[tuple[str, str]]:
        params = {"sha": sha, "exchange": exchange, "account": account, "claim_id": claim_id}
        return [(str(r["signal"]), str(r["detail"])) for r in runner.run(con, "claims/screen_upload", params)]

    return screen


def attach_upload(ws: Workspace, actor: User, claim_id: int, path: Path, *, original_name: str | None = None,
                  progress: ProgressFn | None = None) -> UploadOutcome:
    """Screen an exchange export against the claimed account and attach it to the claim.

    An upload the screen passes goes through the real ingest path (provenance, deduplication,
    validation) into the claimed account; one it flags is quarantined (see the module docstring). A
    file that cannot be read at all is refused with the ingest's error and nothing is kept.
    """
    from ingest.api import ingest_file

    access.require(actor.role, "claims.attach_upload")
    with ws.db.read() as con:
        claim = claims.load_claim_row(con, actor, claim_id)
    if claim["status"] == "closed":
        raise InputError("this claim is closed; uploads can no longer be attached", column="upload")
    name = original_name or path.name
    secrets_scan.check("file name", name)  # the name is stored in clear (evidence list, custody log)
    if path.is_file() and path.stat().st_size > MAX_UPLOAD_BYTES:
        raise UnsafeFileError(f"the file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB; split the export "
                              "by date range", file=name)
    if not actor.is_staff and claims.claimed_by_someone_else(ws, actor, claim_id):
        # two people claim the account: neither may add rows to it before staff look
        raise InputError("exports of this account cannot be added to your claim until an investigator has "
                         "reviewed it; your claim is kept, and they will contact you", file=name)
    with ws.db.read() as con:
        held = con.execute("SELECT count(*) FROM claim_evidence WHERE claim_id = ? AND state <> 'withdrawn'",
                           [claim_id]).fetchall()[0][0]
    if int(held) >= MAX_UPLOADS_PER_CLAIM:
        raise UnsafeFileError(f"this claim already holds {MAX_UPLOADS_PER_CLAIM} files; contact the "
                              "investigators to add more", file=name)

    def stage(step: str, fraction: float) -> None:
        if progress is not None:
            progress(0.9 * fraction, _STAGES.get(step, step))

    try:
        result = ingest_file(ws, path, exchange=claim["exchange"], account=claim["account"], actor=actor.actor,
                             claim_id=claim_id, original_name=original_name, progress=stage,
                             screen=_screen(claim_id))
    except Quarantined as held_back:
        outcome = _quarantine(ws, actor, claim_id, path, name, held_back.signals)
    except AccountMismatch as other:
        signal = ("UPLOAD_NAMES_OTHER_ACCOUNT",
                  f"the file's own rows name {claim['exchange']} account {', '.join(other.found)}, not the "
                  f"claimed {claim['account']}")
        outcome = _quarantine(ws, actor, claim_id, path, name, [signal])
    else:
        if progress:
            progress(0.95, "Attaching the file to the claim")
        outcome = UploadOutcome("accepted", result.evidence_sha256, result.source_name, result.rows_read,
                                result.rows_added, result.rows_already_known, ingest=result.as_dict())
        with ws.db.write() as con:
            _attach(con, claim_id, outcome, result.run_id, name)
            claims.record(ws, con, actor, "claim.evidence_attached", claim_id,
                          {"evidence_sha256": result.evidence_sha256, "ingest_run_id": result.run_id})
    if progress:
        progress(1.0, "Done")
    return outcome


def _attach(con: duckdb.DuckDBPyConnection, claim_id: int, o: UploadOutcome, run_id: str | None,
            name: str) -> None:
    """The claim's row for the upload: a new one, or the earlier one of the same file updated (a file
    withdrawn and uploaded again, a quarantined file accepted)."""
    signals = json.dumps([{"signal": s, "detail": d} for s, d in o.signals]) if o.signals else None
    con.execute(
        "INSERT INTO claim_evidence (claim_id, evidence_sha256, attached_at, state, signals_json, original_name, "
        "ingest_run_id, rows_read, rows_added, rows_known) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
        "ON CONFLICT (claim_id, evidence_sha256) DO UPDATE SET state = excluded.state, "
        "signals_json = coalesce(excluded.signals_json, claim_evidence.signals_json), "
        "ingest_run_id = coalesce(excluded.ingest_run_id, claim_evidence.ingest_run_id), "
        "rows_read = coalesce(excluded.rows_read, claim_evidence.rows_read), "
        "rows_added = CASE WHEN claim_evidence.state = 'accepted' THEN claim_evidence.rows_added "
        "                  ELSE excluded.rows_added END, "
        "rows_known = coalesce(excluded.rows_known, claim_evidence.rows_known), withdrawn_at = NULL",
        [claim_id, o.evidence_sha256, utcnow(), o.state, signals, evidence.safe_name(name), run_id, o.rows_read,
         o.rows_added, o.rows_known])
    _touch(con, claim_id)


def _touch(con: duckdb.DuckDBPyConnection, claim_id: int) -> None:
    """The claim changed (the queue's cached assessment is keyed by this time)."""
    con.execute("UPDATE claims SET updated_at = ? WHERE id = ?", [utcnow(), claim_id])


def _quarantine(ws: Workspace, actor: User, claim_id: int, path: Path, name: str,
                signals: list[tuple[str, str]]) -> UploadOutcome:
    with ws.db.write() as con:
        record = evidence.store(ws, con, path, kind="claim_upload", submitted_by=actor.actor, original_name=name,
                                claim_id=claim_id)
        held = con.execute("SELECT state FROM claim_evidence WHERE claim_id = ? AND evidence_sha256 = ?",
                           [claim_id, record.sha256]).fetchall()
        if held and held[0][0] == "accepted":  # its rows are the account's already: never mark them held
            raise InputError(f"{evidence.safe_name(name)} is already attached to this claim (SHA-256 "
                             f"{record.sha256}); nothing changed", file=evidence.safe_name(name))
        evidence.custody(con, record.sha256, actor.actor, "quarantined",
                         {"claim_id": claim_id, "signals": [s for s, _d in signals]})
        outcome = UploadOutcome("quarantined", record.sha256, evidence.safe_name(name), None, None, None,
                                tuple(signals))
        _attach(con, claim_id, outcome, None, name)
        claims.record(ws, con, actor, "claim.evidence_quarantined", claim_id,
                      {"evidence_sha256": record.sha256, "signals": [s for s, _d in signals]})
    return outcome


def _upload_row(con: duckdb.DuckDBPyConnection, claim_id: int, sha256: str) -> dict[str, Any]:
    found = rows(con, "SELECT ce.*, e.original_name AS stored_name FROM claim_evidence ce "
                      "JOIN evidence_files e ON e.sha256 = ce.evidence_sha256 "
                      "WHERE ce.claim_id = ? AND ce.evidence_sha256 = ?", [claim_id, sha256])
    if not found:
        raise NotFound(f"claim {claim_id} has no upload with that SHA-256")
    return found[0]


def review_upload(ws: Workspace, actor: User, claim_id: int, sha256: str, *, accept: bool,
                  reason: str | None = None) -> UploadOutcome:
    """Staff decide on a quarantined upload: accepted, its rows are stored in the claimed account (the
    ingest's own checks still apply); rejected, it stays in custody and the claimant sees the reason."""
    from ingest.api import ingest_file

    access.require(actor.role, "claims.review_upload")
    why = claims.clean_text("reason", reason, limit=2000)
    if not accept and not why:
        raise InputError("a rejected upload needs a reason, which the victim will see", column="reason")
    with ws.db.read() as con:
        claim = claims.load_claim_row(con, actor, claim_id)
        row = _upload_row(con, claim_id, sha256)
    if row["state"] != "quarantined":
        raise InputError(f"this upload is {STATE_LABELS.get(row['state'], row['state']).lower()}, not held for "
                         "review", column="upload")
    name = str(row["original_name"] or row["stored_name"])
    if not accept:
        with ws.db.write() as con:
            con.execute("UPDATE claim_evidence SET state = 'rejected', decided_by = ?, decided_at = ?, "
                        "decision_reason_enc = ? WHERE claim_id = ? AND evidence_sha256 = ?",
                        [actor.id, utcnow(), ws.keys.seal(why, "claims.upload_decision"), claim_id, sha256])
            _touch(con, claim_id)
            claims.record(ws, con, actor, "claim.evidence_rejected", claim_id, {"evidence_sha256": sha256})
        return UploadOutcome("rejected", sha256, name, None, None, None)
    data = evidence.read_bytes(ws, sha256, actor=actor.actor, purpose=f"claim {claim_id} upload review")
    with tempfile.TemporaryDirectory(prefix="keytrace-review-") as tmp:
        copy = Path(tmp) / evidence.safe_name(name)
        copy.write_bytes(data)
        try:
            result = ingest_file(ws, copy, exchange=claim["exchange"], account=claim["account"], actor=actor.actor,
                                 claim_id=claim_id, original_name=name)
        except AccountMismatch as other:
            raise InputError(f"{name} names {claim['exchange']} account {', '.join(other.found)} in its own rows, so "
                             f"it cannot be accepted as evidence of {claim['account']}; reject it",
                             column="upload") from None
    outcome = UploadOutcome("accepted", result.evidence_sha256, name, result.rows_read, result.rows_added,
                            result.rows_already_known, ingest=result.as_dict())
    with ws.db.write() as con:
        _attach(con, claim_id, outcome, result.run_id, name)
        con.execute("UPDATE claim_evidence SET decided_by = ?, decided_at = ? WHERE claim_id = ? "
                    "AND evidence_sha256 = ?", [actor.id, utcnow(), claim_id, sha256])
        claims.record(ws, con, actor, "claim.evidence_accepted", claim_id,
                      {"evidence_sha256": sha256, "ingest_run_id": result.run_id})
    return outcome


def withdraw_upload(ws: Workspace, actor: User, claim_id: int, sha256: str) -> int:
    """Withdraw an upload from the claim; returns the number of rows removed from the account.

    The file stays in the evidence store (custody log: ``withdrawn``). Rows it added to the account
    are removed and the account's executions re-derived, unless the same file is also evidence the
    account holds from outside this claim (staff's ingest, another claim): then it is refused.
    """
    from ingest.reconcile import reconcile

    access.require(actor.role, "claims.withdraw_upload")
    with ws.db.write() as con:
        claim = claims.load_claim_row(con, actor, claim_id)
        row = _upload_row(con, claim_id, sha256)
        if row["state"] == "withdrawn":
            raise InputError("this upload is already withdrawn", column="upload")
        exchange, account = str(claim["exchange"]), str(claim["account"])
        removed = 0
        if row["state"] == "accepted":
            mine = [r[0] for r in con.execute(
                "SELECT ingest_run_id FROM claim_evidence WHERE evidence_sha256 = ? AND ingest_run_id IS NOT NULL "
                "AND claim_id IN (SELECT id FROM claims WHERE lower(exchange) = ? AND account = ?) "
                "AND state = 'accepted'", [sha256, exchange, account]).fetchall()]
            outside = con.execute(
                "SELECT count(*) FROM ingest_runs WHERE evidence_sha256 = ? AND lower(exchange) = ? "
                "AND list_contains(string_split(account, ','), ?) AND status = 'committed' AND rows_added > 0 "
                "AND NOT list_contains(?, run_id)", [sha256, exchange, account, mine]).fetchall()[0][0]
            others = con.execute(
                "SELECT count(*) FROM claim_evidence ce JOIN claims c ON c.id = ce.claim_id WHERE "
                "ce.evidence_sha256 = ? AND ce.claim_id <> ? AND ce.state = 'accepted' AND lower(c.exchange) = ? "
                "AND c.account = ?", [sha256, claim_id, exchange, account]).fetchall()[0][0]
            if int(outside) or int(others):
                raise InputError("this file is also evidence of the account from outside your claim (an "
                                 "investigator's ingest or another claim), so its rows cannot be removed from "
                                 "here; ask the investigators", column="upload")
            for table in ACCOUNT_TABLES:
                removed += int(con.execute(
                    f"DELETE FROM {table} WHERE evidence_sha256 = ? AND lower(exchange) = ? AND account = ?",  # noqa: S608
                    [sha256, exchange, account]).fetchall()[0][0])
            con.execute("UPDATE ingest_runs SET status = 'withdrawn' WHERE evidence_sha256 = ? "
                        "AND list_contains(?, run_id)", [sha256, mine])
            reconcile(con, [(exchange, account)])
        con.execute("UPDATE claim_evidence SET state = 'withdrawn', withdrawn_at = ? WHERE claim_id = ? "
                    "AND evidence_sha256 = ?", [utcnow(), claim_id, sha256])
        _touch(con, claim_id)
        evidence.custody(con, sha256, actor.actor, "withdrawn", {"claim_id": claim_id, "rows_removed": removed})
        claims.record(ws, con, actor, "claim.evidence_withdrawn", claim_id,
                      {"evidence_sha256": sha256, "rows_removed": removed, "was": row["state"]})
    return removed


@dataclass(frozen=True)
class Upload:
    sha256: str
    name: str
    size_bytes: int
    attached_at: datetime
    state: str
    signals: tuple[tuple[str, str], ...]
    rows_read: int | None
    rows_added: int | None
    rows_known: int | None
    decision_reason: str | None

    @property
    def state_label(self) -> str:
        return STATE_LABELS.get(self.state, self.state)


def list_uploads(ws: Workspace, actor: User, claim_id: int) -> list[Upload]:
    """The claim's uploads, oldest first, each with its state and (when held) the screen's signals."""
    with ws.db.read() as con:
        claims.load_claim_row(con, actor, claim_id)
        found = rows(con, "SELECT ce.*, e.original_name AS stored_name, e.size_bytes FROM claim_evidence ce "
                          "JOIN evidence_files e ON e.sha256 = ce.evidence_sha256 WHERE ce.claim_id = ? "
                          "ORDER BY ce.attached_at, ce.evidence_sha256", [claim_id])
    out = []
    for r in found:
        signals = tuple((s["signal"], s["detail"]) for s in json.loads(r["signals_json"] or "[]"))
        out.append(Upload(str(r["evidence_sha256"]), str(r["original_name"] or r["stored_name"]),
                          int(r["size_bytes"]), r["attached_at"], str(r["state"] or "accepted"), signals,
                          r["rows_read"], r["rows_added"], r["rows_known"],
                          ws.keys.open(r["decision_reason_enc"], "claims.upload_decision")))
    return out


def upload_content(ws: Workspace, actor: User, claim_id: int, sha256: str) -> tuple[str, bytes]:
    """A file attached to a claim, as (original name, verified bytes), for staff.

    The bytes are re-hashed against ``sha256`` (a changed byte raises EvidenceTamperedError and is
    logged), and the read is entered in the custody log under the actor's name.
    """
    access.require(actor.role, "claims.read_uploads")
    with ws.db.read() as con:
        claims.load_claim_row(con, actor, claim_id)
        row = _upload_row(con, claim_id, sha256)
    data = evidence.read_bytes(ws, sha256, actor=actor.actor, purpose=f"claim {claim_id} upload download")
    return str(row["stored_name"]), data


def receipt(ws: Workspace, actor: User, claim_id: int) -> str:
    """The filing receipt of a claim (plain text): what was filed, when, and the SHA-256 of every file,
    with the audit trail's entry for the filing, so the claimant can later show what they handed in."""
    with ws.db.read() as con:
        claim = claims.load_claim_row(con, actor, claim_id)
        filed = con.execute("SELECT seq, entry_hash, at_utc FROM audit_log WHERE object = ? AND action = 'claim.filed' "
                            "ORDER BY seq LIMIT 1", [f"claim:{claim_id}"]).fetchall()
    uploads = list_uploads(ws, actor, claim_id)
    lines = [
        "keytrace filing receipt",
        "",
        f"Claim:            {claim_id}",
        f"Exchange account: {claim['exchange']} {claim['account']}",
        f"Filed (UTC):      {claim['created_at']:%Y-%m-%d %H:%M:%S}",
        f"Status:           {claims.STATUS_LABELS[str(claim['status'])]}",
    ]
    if claim["key_fingerprint"]:
        lines.append(f"API key (SHA-256 fingerprint of its public part): {claim['key_fingerprint']}")
    if filed:
        lines.append(f"Audit entry {filed[0][0]} (hash {filed[0][1]}) records the filing.")
    lines += ["", f"Files ({len(uploads)}):"]
    for u in uploads:
        lines.append(f"- {u.name}  {u.size_bytes:,} bytes  received {u.attached_at:%Y-%m-%d %H:%M:%S} UTC")
        lines.append(f"  SHA-256 {u.sha256}")
        lines.append(f"  {u.state_label}" + (f": {u.rows_read:,} rows read, {u.rows_added:,} new, "
                                              f"{u.rows_known:,} already known"
                                              if u.state == "accepted" and u.rows_read is not None else ""))
    if not uploads:
        lines.append("- none yet")
    lines += ["", "Check a file against this receipt with: sha256sum FILE (Linux), shasum -a 256 FILE (macOS),",
              "or certutil -hashfile FILE SHA256 (Windows)."]
    with ws.db.write() as con:
        audit.record(con, ws.keys, ws.settings, actor=actor.actor, action="claim.receipt_issued",
                     obj=f"claim:{claim_id}", details={"files": len(uploads)})
    return "\n".join(lines) + "\n"
