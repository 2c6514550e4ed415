"""The tamper-evident audit trail.

Every write path appends one entry (actor, action, object, time, details) through :func:`record`,
inside the same transaction as the change it describes, so an entry exists exactly when its change
does. Each entry carries ``prev_hash``, the SHA-256 of the entry before it, and its own
``entry_hash = sha256(prev_hash || canonical JSON(seq, at, actor, action, object, details))``.
``entry_mac`` is an HMAC of that hash under a key derived from the master key, so rewriting the chain
needs the key. After each commit the head (last seq and hash, MAC'd) is written to ``<db>.audit-head``
so that deleting entries from the end is caught too. The head file is created only with the first entry
of a chain; a write never recreates a missing one (that would re-anchor a truncated trail), and
:func:`verify` reports a trail that has entries but no head file as not verifiable.

:func:`verify` walks the chain in ``seq`` order and names the first broken link: an edited entry
(its hash no longer matches), a deleted one (a gap in ``seq``, or the head anchor is ahead), or
reordered ones (``prev_hash`` no longer points at the entry before).

Never put personal data or secrets into ``details``: the trail is readable by design.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb

from core.config import Settings
from core.crypto import Keyring
from core.db import after_commit, utcnow
from core.errors import AuditChainBroken, KeytraceError

GENESIS = "0" * 64


class AuditHeadMissing(AuditChainBroken):
    """The trail has entries but its head file is gone: a deleted tail could not be noticed."""

    def __init__(self, count: int, name: str) -> None:
        self.seq = count + 1
        KeytraceError.__init__(
            self, f"the audit trail cannot be verified: its head file {name} is missing, so entries deleted "
                  f"from the end (after entry {count}) would go unnoticed; restore {name} from a backup")


def canonical(obj: Any) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=str)


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def entry_hash(prev_hash: str, seq: int, at: datetime, actor: str, action: str, obj: str, details: str) -> str:
    body = canonical([seq, _iso(at), actor, action, obj, details])
    return hashlib.sha256((prev_hash + body).encode()).hexdigest()


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    object: str
    details: dict[str, Any]
    entry_hash: str


def record(con: duckdb.DuckDBPyConnection, keys: Keyring, settings: Settings, *, actor: str, action: str,
           obj: str, details: dict[str, Any] | None = None) -> AuditEntry:
    """Append one entry inside the caller's write transaction."""
    last = con.execute("SELECT seq, entry_hash FROM audit_log ORDER BY seq DESC LIMIT 1").fetchall()
    seq, prev = (int(last[0][0]) + 1, str(last[0][1])) if last else (1, GENESIS)
    at = utcnow()
    # store at microsecond precision, exactly as hashed
    details_json = canonical(details or {})
    h = entry_hash(prev, seq, at, actor, action, obj, details_json)
    con.execute("INSERT INTO audit_log VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [seq, at, actor, action, obj, details_json, prev, h, keys.mac(h.encode())])
    anchor = settings.audit_anchor_path
    if seq == 1 and not anchor.exists():
        # a new chain: anchor it at the genesis before the commit, so a crash between the commit and
        # the head update leaves a lagging head (tolerated) rather than none (not verifiable)
        _write_anchor(anchor, keys, 0, GENESIS)
    after_commit(con, lambda: _write_anchor(anchor, keys, seq, h))
    return AuditEntry(seq, at, actor, action, obj, details or {}, h)


def _write_anchor(path: Path, keys: Keyring, seq: int, h: str) -> None:
    current = read_anchor(path, keys)
    if current is None and seq > 1:
        # The head file went missing after the chain began: recreating it here would anchor whatever
        # is left (e.g. a trail whose tail was deleted). Leave it missing so that verify reports it;
        # a restore from backup brings it back.
        return
    if current is not None and current[0] >= seq:
        return
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(f"{seq} {h} {keys.mac(f'{seq}:{h}'.encode())}\n")
    os.replace(tmp, path)


def read_anchor(path: Path, keys: Keyring) -> tuple[int, str] | None:
    try:
        parts = path.read_text().split()
    except FileNotFoundError:
        return None
    if len(parts) != 3 or not parts[0].isdigit():
        raise AuditChainBroken(0, f"the audit head file {path.name} is damaged")
    seq, h, mac = int(parts[0]), parts[1], parts[2]
    if keys.mac(f"{seq}:{h}".encode()) != mac:
        raise AuditChainBroken(seq, f"the audit head file {path.name} was altered")
    return seq, h


def verify(con: duckdb.DuckDBPyConnection, keys: Keyring, settings: Settings) -> int:
    """Check the whole chain; return the number of entries, or raise AuditChainBroken at the first bad link."""
    cur = con.execute("SELECT seq, at_utc, actor, action, object, details, prev_hash, entry_hash, entry_mac "
                      "FROM audit_log ORDER BY seq")
    expected_seq, prev = 1, GENESIS
    count = 0
    while True:
        batch = cur.fetchmany(10_000)
        if not batch:
            break
        for seq, at, actor, action, obj, details, prev_hash, stored_hash, mac in batch:
            if seq != expected_seq:
                raise AuditChainBroken(expected_seq, f"entry {expected_seq} is missing (next entry is {seq})")
            if prev_hash != prev:
                raise AuditChainBroken(seq, "it does not follow the entry before it (deleted or reordered)")
            h = entry_hash(prev_hash, seq, at, actor, action, obj, details)
            if h != stored_hash:
                raise AuditChainBroken(seq, "its contents were changed after it was written")
            if keys.mac(h.encode()) != mac:
                raise AuditChainBroken(seq, "its seal does not match (rewritten without the key)")
            prev, expected_seq, count = h, seq + 1, count + 1
    anchor = read_anchor(settings.audit_anchor_path, keys)
    if anchor is None and count:
        raise AuditHeadMissing(count, settings.audit_anchor_path.name)
    if anchor is not None:
        a_seq, a_hash = anchor
        if a_seq > count:
            raise AuditChainBroken(count + 1, f"entries {count + 1} to {a_seq} were deleted from the end")
        row = con.execute("SELECT entry_hash FROM audit_log WHERE seq = ?", [a_seq]).fetchall()
        if (a_seq, a_hash) != (0, GENESIS) and (not row or row[0][0] != a_hash):
            raise AuditChainBroken(a_seq, "it differs from the recorded audit head")
    return count
