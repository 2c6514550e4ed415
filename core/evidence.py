"""The evidence store: every file that enters keytrace, stored once, encrypted, with custody.

Files are content-addressed by the SHA-256 of their plaintext and kept under
``<evidence_dir>/<aa>/<sha256>.ktev`` encrypted with AES-256-GCM (see core/crypto.py). The index
(``evidence_files``) records the original name, size, type, who submitted it, when, and for which case
or claim; a second submission of the same content adds an ``evidence_submissions`` row, never a second
copy. ``custody_log`` records every later read, export or verification. Reading a file re-hashes it
and raises :class:`EvidenceTamperedError` if a single byte changed.
"""

from __future__ import annotations

import hashlib
import json
import mimetypes
import os
import re
import tempfile
import threading
import time
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, BinaryIO

import duckdb

from core.db import utcnow
from core.errors import EvidenceTamperedError, KeytraceError, NotFound
from core.workspace import Workspace

_BIDI_AND_CONTROL = re.compile(r"[\u0000-\u001f\u007f\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def safe_name(name: str) -> str:
    """The base name of an uploaded file, without directories, control or direction-override characters."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    name = _BIDI_AND_CONTROL.sub("", name).strip().lstrip(".")
    return (name or "unnamed")[:200]


class SealingCancelled(KeytraceError):
    """The ingest that wanted the sealed copy failed first; the copy was dropped."""


def sha256_file(path: Path, cancel: threading.Event | None = None) -> tuple[str, int]:
    """(SHA-256 hex, size) of a file; raises :class:`SealingCancelled` once ``cancel`` is set."""
    h = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            if cancel is not None and cancel.is_set():
                raise SealingCancelled("hashing the evidence copy was cancelled")
            h.update(chunk)
            size += len(chunk)
    return h.hexdigest(), size


@dataclass(frozen=True)
class EvidenceRecord:
    sha256: str
    original_name: str
    size_bytes: int
    media_type: str
    kind: str
    submitted_by: str
    submitted_at: datetime
    is_new: bool


def stored_path(ws: Workspace, sha: str) -> Path:
    return ws.settings.evidence_dir / sha[:2] / f"{sha}.ktev"


def _custody(con: duckdb.DuckDBPyConnection, sha: str, actor: str, action: str,
             details: dict[str, Any] | None = None) -> None:
    con.execute("INSERT INTO custody_log (sha256, at_utc, actor, action, details) VALUES (?, ?, ?, ?, ?)",
                [sha, utcnow(), actor, action, json.dumps(details or {}, sort_keys=True)])


def custody(con: duckdb.DuckDBPyConnection, sha: str, actor: str, action: str,
            details: dict[str, Any] | None = None) -> None:
    """Record a read, export or other use of a stored file (inside the caller's write transaction)."""
    _custody(con, sha, actor, action, details)


class _Stoppable:
    """A source file that stops being readable once ``cancel`` is set."""

    def __init__(self, src: BinaryIO, cancel: threading.Event) -> None:
        self.src = src
        self.cancel = cancel

    def read(self, size: int = -1, /) -> bytes:
        if self.cancel.is_set():
            raise SealingCancelled("sealing the evidence copy was cancelled")
        return self.src.read(size)


def _seal(ws: Workspace, source: Path, sha: str, prefix: str, cancel: threading.Event | None = None) -> Path:
    """Encrypt ``source`` into a private temporary file next to its place in the store, synced to disk."""
    dest = stored_path(ws, sha)
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=prefix)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as src:
            ws.keys.encrypt_stream(src if cancel is None else _Stoppable(src, cancel), out, sha)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o600)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def seal_in_advance(ws: Workspace, source: Path, sha: str, cancel: threading.Event | None = None) -> Path | None:
    """The encrypted copy of ``source`` for a later :func:`store`, made without the database lock.

    An ingest calls this on a thread while it parses the file, so the encryption costs no extra time.
    None when the content is already in the store. The caller hands the path to :func:`store` or
    deletes it; a copy left behind by a process that died is removed by the next :func:`store`.
    """
    if stored_path(ws, sha).exists():
        return None
    return _seal(ws, source, sha, f".prepared-{os.getpid()}-", cancel)


def _remove_stale(ws: Workspace) -> None:
    for stale in ws.settings.evidence_dir.glob("*/.incoming-*"):
        stale.unlink(missing_ok=True)
    for early in ws.settings.evidence_dir.glob("*/.prepared-*"):
        if abandoned(early, early.name.split("-")[1]):
            early.unlink(missing_ok=True)


STALE_AFTER_SECONDS = 6 * 3600


def abandoned(path: Path, pid: str) -> bool:
    """A leftover of process ``pid`` that is gone, untouched for hours (a process in another PID namespace
    sharing the folder could look dead: the age keeps its work safe)."""
    if not pid.isdigit() or process_alive(int(pid)):
        return False
    try:
        newest = max(p.stat().st_mtime for p in [path, *(path.rglob("*") if path.is_dir() else [])])
    except OSError:
        return False
    return newest < time.time() - STALE_AFTER_SECONDS


def process_alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (leftovers of dead ones can go)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def store(ws: Workspace, con: duckdb.DuckDBPyConnection, source: Path, *, kind: str, submitted_by: str,
          original_name: str | None = None, case_id: str | None = None, claim_id: int | None = None,
          media_type: str | None = None, keep_content: bool = True,
          known_sha256: tuple[str, int] | None = None, prepared: Path | None = None) -> EvidenceRecord:
    """Store ``source`` (inside the caller's write transaction). Identical content is stored once.

    With ``keep_content=False`` only the hash and metadata are kept (leaked-key dumps: the secrets in
    them must never reach the disk). ``prepared`` is the file's copy sealed in advance by
    :func:`seal_in_advance` (outside the lock); it is moved into place, or dropped if already stored.
    """
    name = safe_name(original_name or source.name)
    sha, size = known_sha256 or sha256_file(source)
    mtype = media_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    now = utcnow()
    existing = con.execute("SELECT original_name, size_bytes, media_type, kind, submitted_by, submitted_at "
                           "FROM evidence_files WHERE sha256 = ?", [sha]).fetchall()
    if existing:
        if prepared is not None:
            prepared.unlink(missing_ok=True)
        con.execute("INSERT INTO evidence_submissions (sha256, original_name, submitted_by, submitted_at, "
                    "case_id, claim_id) VALUES (?, ?, ?, ?, ?, ?)", [sha, name, submitted_by, now, case_id, claim_id])
        _custody(con, sha, submitted_by, "resubmitted", {"name": name, "claim_id": claim_id})
        o = existing[0]
        return EvidenceRecord(sha, o[0], int(o[1]), o[2], o[3], o[4], o[5], is_new=False)
    if keep_content:
        dest = stored_path(ws, sha)
        if dest.exists():
            if prepared is not None:
                prepared.unlink(missing_ok=True)
        else:
            # writers hold the database's exclusive lock here, so a partial copy left by a process that
            # was killed mid-write is stale: remove it (and copies sealed in advance by dead processes)
            _remove_stale(ws)
            sealed = prepared if prepared is not None else _seal(ws, source, sha, ".incoming-")
            os.replace(sealed, dest)
    elif prepared is not None:
        prepared.unlink(missing_ok=True)
    con.execute("INSERT INTO evidence_files VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [sha, name, size, mtype, kind, submitted_by, now, case_id, claim_id, keep_content])
    _custody(con, sha, submitted_by, "stored" if keep_content else "hash_recorded", {"name": name, "kind": kind})
    return EvidenceRecord(sha, name, size, mtype, kind, submitted_by, now, is_new=True)


def iter_plaintext(ws: Workspace, sha: str) -> Iterator[bytes]:
    """Yield the stored file's bytes; raise EvidenceTamperedError if they do not hash to ``sha``.

    The last chunk is yielded only after the whole file has been checked, so a consumer never sees
    the end of a tampered file as if it were good.
    """
    path = stored_path(ws, sha)
    if not path.exists():
        raise NotFound(f"evidence {sha[:12]} is not in the store")
    h = hashlib.sha256()
    pending: bytes | None = None
    with path.open("rb") as fh:
        for chunk in ws.keys.decrypt_stream(fh, sha):
            if pending is not None:
                yield pending
            h.update(chunk)
            pending = chunk
    if h.hexdigest() != sha:
        raise EvidenceTamperedError(f"stored evidence {sha[:12]} does not match its SHA-256")
    if pending is not None:
        yield pending


def read_bytes(ws: Workspace, sha: str, *, actor: str, purpose: str) -> bytes:
    """Read a whole stored file, verified, and record the read in the custody log."""
    try:
        data = b"".join(iter_plaintext(ws, sha))
    except EvidenceTamperedError as exc:
        with ws.db.write() as con:
            _custody(con, sha, actor, "tamper_detected", {"purpose": purpose, "error": str(exc)})
        raise
    with ws.db.write() as con:
        _custody(con, sha, actor, "read", {"purpose": purpose})
    return data


def copy_to(ws: Workspace, sha: str, dest: BinaryIO) -> int:
    """Write the verified plaintext to ``dest``; returns the byte count (caller records custody)."""
    n = 0
    for chunk in iter_plaintext(ws, sha):
        dest.write(chunk)
        n += len(chunk)
    return n
