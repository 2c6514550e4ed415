"""Who may claim an account: wallet proofs (EIP-191), exchange proofs and the evidence levels they reach.

* :func:`issue_challenge` writes a one-time message naming the claim, the address, a random nonce and
  an expiry; the victim signs it with ``personal_sign`` in their wallet.
* :func:`verify_signature` recovers the signer (eth_account) and accepts the proof when it is the
  challenged address, the nonce is unused and not expired. A nonce is spent by its first verification
  attempt, whatever the outcome, so a signature can never be replayed.
* :func:`evidence_level` grades a claim 0-100 (queries/sql/claims/ownership_evidence.sql says what each
  level needs, after GraphSense's confidence scale) and keeps the grades in ``ownership_evidence``.

Reading the grades and the fraud signals without writing is queries/claims.py's.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from eth_account import Account
from eth_account.messages import encode_defunct

from core import audit
from core.db import rows, utcnow
from core.errors import InputError, NotFound
from core.workspace import Workspace
from queries.claims import ownership_grades
from queries.records import EvidenceLevel
from queries.trace import normalise_address


@dataclass(frozen=True)
class Challenge:
    nonce: str
    claim_id: int
    address: str
    message: str
    issued_at: datetime
    expires_at: datetime


@dataclass(frozen=True)
class WalletVerification:
    ok: bool
    claim_id: int
    address: str
    recovered: str | None
    reason: str


def challenge_message(claim_id: int, address: str, nonce: str, expires_at: datetime) -> str:
    return (f"keytrace ownership proof\n"
            f"I control the wallet {address} and ask that it be linked to claim {claim_id}.\n"
            f"Nonce: {nonce}\n"
            f"Expires: {expires_at.strftime('%Y-%m-%dT%H:%M:%SZ')}")


def issue_challenge(ws: Workspace, claim_id: int, address: str, ttl_minutes: int = 30) -> Challenge:
    """Create and store a one-time challenge for ``address`` on ``claim_id``."""
    addr = normalise_address(address)
    if ttl_minutes < 1:
        raise InputError("a challenge must live at least one minute")
    nonce = secrets.token_hex(16)
    issued = utcnow().replace(microsecond=0)
    expires = issued + timedelta(minutes=ttl_minutes)
    message = challenge_message(claim_id, addr, nonce, expires)
    with ws.db.write() as con:
        if not con.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchall():
            raise NotFound(f"there is no claim {claim_id}")
        con.execute("INSERT INTO wallet_challenges VALUES (?, ?, ?, ?, ?, ?, NULL)",
                    [nonce, claim_id, addr, message, issued, expires]).fetchall()
        audit.record(con, ws.keys, ws.settings, actor="ownership", action="wallet.challenge",
                     obj=f"claim:{claim_id}", details={"nonce": nonce, "expires_at": expires.isoformat()})
    return Challenge(nonce, claim_id, addr, message, issued, expires)


def _recover(message: str, signature: str) -> str | None:
    sig = signature.strip()
    if not sig.startswith("0x"):
        sig = "0x" + sig
    try:
        raw = bytes.fromhex(sig[2:])
        if len(raw) != 65:
            return None
        return str(Account.recover_message(encode_defunct(text=message), signature=raw)).lower()
    except (ValueError, TypeError):
        return None
    except Exception:  # noqa: BLE001 - eth_keys raises its own BadSignature family on malformed input
        return None


def verify_signature(ws: Workspace, nonce: str, signature: str, *, now: datetime | None = None) -> WalletVerification:
    """Check an EIP-191 signature of the challenge ``nonce``; a proven wallet goes to wallet_proofs."""
    at = now or utcnow()
    with ws.db.write() as con:
        found = rows(con, "SELECT * FROM wallet_challenges WHERE nonce = ?", [nonce])
        if not found:
            raise NotFound("there is no such wallet challenge; ask for a new one")
        ch = found[0]
        claim_id, address = int(ch["claim_id"]), str(ch["address"])
        recovered: str | None = None
        if ch["used_at"] is not None:
            ok, reason = False, "this challenge was already used; ask for a new one"
        elif at > ch["expires_at"]:
            ok, reason = False, "this challenge has expired; ask for a new one"
        else:
            recovered = _recover(str(ch["message"]), signature)
            if recovered is None:
                ok, reason = False, "the signature is not a valid 65-byte EIP-191 signature"
            elif recovered != address:
                ok, reason = False, "the signature was made by a different wallet than the one challenged"
            else:
                ok, reason = True, "the wallet signed the challenge"
            con.execute("UPDATE wallet_challenges SET used_at = ? WHERE nonce = ?", [at, nonce]).fetchall()
        if ok:
            con.execute("DELETE FROM wallet_proofs WHERE claim_id = ? AND address = ?", [claim_id, address])
            con.execute("INSERT INTO wallet_proofs VALUES (?, ?, ?, ?, ?)",
                        [claim_id, address, nonce, signature.strip(), at]).fetchall()
        audit.record(con, ws.keys, ws.settings, actor="ownership", action="wallet.verify",
                     obj=f"claim:{claim_id}", details={"nonce": nonce, "ok": ok, "reason": reason})
    return WalletVerification(ok, claim_id, address, recovered, reason)


def evidence_level(ws: Workspace, claim_id: int) -> EvidenceLevel:
    """Grade the ownership evidence of a claim and keep the grades in ownership_evidence."""
    with ws.db.write() as con:
        if not con.execute("SELECT 1 FROM claims WHERE id = ?", [claim_id]).fetchall():
            raise NotFound(f"there is no claim {claim_id}")
        grades = ownership_grades(con, claim_id)
        con.execute("DELETE FROM ownership_evidence WHERE claim_id = ?", [claim_id]).fetchall()
        at = utcnow()
        for g in grades:
            con.execute("INSERT INTO ownership_evidence VALUES (?, ?, ?, ?)", [claim_id, g.level, g.reason, at])
    return EvidenceLevel(claim_id, grades[0].level if grades else 0, grades)
