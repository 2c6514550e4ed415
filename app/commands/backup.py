"""keytrace backup DIR | keytrace restore DIR: the database and the evidence store, with a signed manifest.

A backup folder holds ``database.duckdb`` (a consistent snapshot: taken under the write lock after a
DuckDB ``CHECKPOINT``, so no half-committed transaction and no write-ahead log is copied), ``audit-head``
(the signed head of the audit trail), ``evidence/<aa>/<sha256>.ktev`` (the encrypted evidence files, copied
as they are: a backup never holds a plaintext personal datum or evidence file), and ``manifest.json``
listing every file with its size and SHA-256. ``manifest.json.hmac`` is an HMAC-SHA256 of the manifest's
exact bytes under a key derived from the master key (``core.crypto.derive_key``, purpose
``backup-manifest``), so nobody without the key can edit a file and re-hash the manifest.

The master key itself is never written into a backup: keep it (the key file or ``KEYTRACE_SECRET_KEY``)
apart from the backups. ``restore`` needs the same key: it checks the manifest's seal, then copies every
listed file into a staging folder next to the target and checks each copy's size and SHA-256, refuses a
file that is missing, altered, added or named outside the folder, opens the staged database and verifies
its audit chain, and only then moves the staged files into place, under the write lock. A refused
restore leaves the target exactly as it was.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import os
import shutil
import tempfile
from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from app.cli import add_json_flag, emit
from core import audit
from core.crypto import Keyring, derive_key, load_master_key
from core.db import Database, utcnow
from core.errors import (
    AuditChainBroken,
    ConfigError,
    EvidenceTamperedError,
    InputError,
    KeytraceError,
    UsageError,
)
from core.evidence import sha256_file
from core.workspace import Workspace

FORMAT = "keytrace-backup-1"
MANIFEST = "manifest.json"
SEAL = "manifest.json.hmac"
DB_NAME = "database.duckdb"
ANCHOR_NAME = "audit-head"
EVIDENCE = "evidence"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    b = sub.add_parser("backup", help="copy the database and evidence store to a folder with a signed manifest",
                       description="Write a consistent snapshot of the database (taken under the write lock), "
                                   "the audit head and the encrypted evidence store into DIR (new or empty), "
                                   "with manifest.json (SHA-256 of every file) sealed by an HMAC under a key "
                                   "derived from the master key. The master key is not copied: keep it apart.",
                       epilog="Example: keytrace --db case.duckdb backup /backups/case-2026-11-24")
    b.add_argument("dir", type=Path, metavar="DIR", help="a new or empty folder")
    add_json_flag(b)
    b.set_defaults(func=run_backup)
    r = sub.add_parser("restore", help="restore a backup after checking every file against its signed manifest",
                       description="Check the manifest's seal and every file's SHA-256, verify the audit chain "
                                   "of the backed-up database, then replace the database and evidence store "
                                   "named by --db. A tampered backup is refused and the target left untouched. "
                                   "Needs the same master key as the backup (key file or KEYTRACE_SECRET_KEY).",
                       epilog="Example: keytrace --db case.duckdb restore /backups/case-2026-11-24 --force")
    r.add_argument("dir", type=Path, metavar="DIR", help="a folder written by keytrace backup")
    r.add_argument("--force", action="store_true", help="replace an existing database at --db")
    add_json_flag(r)
    r.set_defaults(func=run_restore)


def _manifest_key(ws: Workspace) -> bytes:
    return derive_key(load_master_key(ws.settings), "backup-manifest")


def _seal(key: bytes, data: bytes) -> str:
    return hmac.new(key, data, hashlib.sha256).hexdigest()


def _copy(src: Path, dest: Path) -> dict[str, Any]:
    for folder in reversed(dest.parents[:2] if len(dest.parents) > 1 else dest.parents):
        folder.mkdir(exist_ok=True, mode=0o700)  # each level 0700 (parents=True would use the umask)
    with src.open("rb") as fin, dest.open("xb") as fout:
        shutil.copyfileobj(fin, fout, 1 << 20)
        fout.flush()
        os.fsync(fout.fileno())
    os.chmod(dest, 0o600)
    sha, size = sha256_file(dest)
    return {"sha256": sha, "size": size}


def backup(ws: Workspace, folder: Path) -> dict[str, Any]:
    """Write the backup; returns the manifest."""
    if not ws.db.exists():
        raise UsageError(f"there is no keytrace database at {ws.db.path}; run `keytrace init` first")
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise UsageError(f"the backup folder {folder} must be new or empty")
    key = _manifest_key(ws)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    files: dict[str, dict[str, Any]] = {}
    try:
        with ws.db.exclusive() as con:
            con.execute("CHECKPOINT")
            version = int(con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()[0][0])
            entries = int(con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0])
            wal = ws.db.path.with_name(ws.db.path.name + ".wal")
            if wal.exists() and wal.stat().st_size:
                raise KeytraceError("the database still has a write-ahead log after CHECKPOINT; try again")
            files[DB_NAME] = _copy(ws.db.path, folder / DB_NAME)
            anchor = ws.settings.audit_anchor_path
            if anchor.exists():
                files[ANCHOR_NAME] = _copy(anchor, folder / ANCHOR_NAME)
            evidence = ws.settings.evidence_dir
            if evidence.is_dir():
                for path in sorted(evidence.glob("*/*.ktev")):
                    rel = f"{EVIDENCE}/{path.parent.name}/{path.name}"
                    files[rel] = _copy(path, folder / rel)
        manifest = {"format": FORMAT, "created_utc": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
                    "schema_version": version, "audit_entries": entries,
                    "files": [{"path": p, **files[p]} for p in sorted(files)]}
        data = json.dumps(manifest, indent=2, sort_keys=True).encode() + b"\n"
        for name, body in ((MANIFEST, data), (SEAL, (_seal(key, data) + "\n").encode())):
            fd = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as fh:
                fh.write(body)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return manifest


def _safe_rel(name: object) -> PurePosixPath:
    if not isinstance(name, str):
        raise EvidenceTamperedError("the backup manifest names a file that is not a path")
    rel = PurePosixPath(name)
    if rel.is_absolute() or ".." in rel.parts or not rel.parts or "\\" in name:
        raise EvidenceTamperedError(f"the backup manifest names {name!r}, outside the backup folder")
    if not (name in (DB_NAME, ANCHOR_NAME) or (len(rel.parts) == 3 and rel.parts[0] == EVIDENCE
                                                and rel.name.endswith(".ktev"))):
        raise EvidenceTamperedError(f"the backup manifest names {name!r}, which a backup never holds")
    return rel


def _require_original_key(ws: Workspace) -> None:
    """Refuse before touching anything when no master key is configured for the target database."""
    if ws.settings.secret_key_env or ws.settings.key_file.exists():
        return
    raise ConfigError(f"no master key for {ws.settings.db_path}: a backup can only be restored with the case's "
                      "original master key, so copy the original database's key file (<db>.key) to "
                      f"{ws.settings.key_file} with mode 0600, or set KEYTRACE_SECRET_KEY or KEYTRACE_KEY_FILE to "
                      "it (`keytrace init` would make a new key that cannot open the backup)")


def _read_manifest(ws: Workspace, folder: Path) -> dict[str, Any]:
    if not (folder / MANIFEST).is_file() or not (folder / SEAL).is_file():
        raise InputError(f"{folder} is not a keytrace backup (manifest.json or its seal is missing)")
    data = (folder / MANIFEST).read_bytes()
    given = (folder / SEAL).read_bytes().strip()
    if not hmac.compare_digest(_seal(_manifest_key(ws), data).encode(), given):
        source = "KEYTRACE_SECRET_KEY" if ws.settings.secret_key_env else str(ws.settings.key_file)
        raise EvidenceTamperedError("the backup manifest's seal does not match: it was altered, or the backup "
                                    f"was made under another master key than {source} holds (restore needs the "
                                    "case's original key); nothing was restored")
    manifest: dict[str, Any] = json.loads(data)
    if manifest.get("format") != FORMAT:
        raise InputError(f"{folder} is a backup in an unknown format {manifest.get('format')!r}")
    return manifest


def _stage(folder: Path, manifest: dict[str, Any], staging: Path) -> dict[str, Path]:
    """Copy every listed file into ``staging`` and check each copy; returns name -> staged path."""
    listed: dict[str, Path] = {}
    for entry in manifest["files"]:
        rel = _safe_rel(entry.get("path"))
        src = folder / rel
        if src.is_symlink() or not src.is_file():
            raise EvidenceTamperedError(f"the backup file {rel} is missing; nothing was restored")
        got = _copy(src, staging / rel)
        if got["size"] != entry.get("size") or got["sha256"] != entry.get("sha256"):
            raise EvidenceTamperedError(f"the backup file {rel} does not match its SHA-256 in the manifest; "
                                        "nothing was restored")
        listed[str(rel)] = staging / rel
    if DB_NAME not in listed:
        raise EvidenceTamperedError("the backup manifest lists no database; nothing was restored")
    extra = sorted(str(p.relative_to(folder)) for p in folder.rglob("*")
                   if (p.is_file() or p.is_symlink()) and str(p.relative_to(folder)) not in listed
                   and p.name not in (MANIFEST, SEAL))
    if extra:
        raise EvidenceTamperedError(f"the backup holds {extra[0]}, which its manifest does not list; "
                                    "nothing was restored")
    return listed


def restore(ws: Workspace, folder: Path, *, force: bool = False) -> dict[str, Any]:
    if not folder.is_dir():
        raise UsageError(f"the backup folder {folder} does not exist")
    target = ws.settings
    if ws.db.exists() and not force:
        raise UsageError(f"a database already exists at {target.db_path}; add --force to replace it")
    _require_original_key(ws)
    manifest = _read_manifest(ws, folder)
    target.db_path.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".keytrace-restore-", dir=target.db_path.parent))
    try:
        staged = _stage(folder, manifest, staging)
        # the staged database must open and carry an intact audit trail before it replaces anything
        check = replace(target, db_path=staging / DB_NAME, evidence_dir=staging / EVIDENCE)
        keys = Keyring.load(target)
        try:
            with Database(check, lock_timeout=ws.lock_timeout).read() as con:
                if ANCHOR_NAME in staged:
                    os.replace(staged[ANCHOR_NAME], check.audit_anchor_path)
                entries = audit.verify(con, keys, check)
        except AuditChainBroken as exc:
            raise EvidenceTamperedError(f"the backed-up audit trail does not verify ({exc}); nothing was "
                                        "restored") from None
        except KeytraceError:
            raise
        except Exception as exc:  # noqa: BLE001 - a damaged database file in a sealed backup
            raise EvidenceTamperedError(f"the backed-up database cannot be opened ({type(exc).__name__}); "
                                        "nothing was restored") from None
        with ws.db._lock(exclusive=True):  # nobody may open the file while it is replaced
            wal = target.db_path.with_name(target.db_path.name + ".wal")
            wal.unlink(missing_ok=True)
            os.replace(staging / DB_NAME, target.db_path)
            if check.audit_anchor_path.exists():
                os.replace(check.audit_anchor_path, target.audit_anchor_path)
            else:
                target.audit_anchor_path.unlink(missing_ok=True)
            old = None
            if target.evidence_dir.exists():
                old = target.evidence_dir.with_name(target.evidence_dir.name + f".replaced-{os.getpid()}")
                os.replace(target.evidence_dir, old)
            new_evidence = staging / EVIDENCE
            if not new_evidence.exists():
                new_evidence.mkdir(mode=0o700)
            os.chmod(new_evidence, 0o700)
            os.replace(new_evidence, target.evidence_dir)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return {"restored": str(target.db_path), "files": len(manifest["files"]), "audit_entries": entries,
            "created_utc": manifest.get("created_utc")}


def run_backup(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    manifest = backup(ws, args.dir)
    n = len(manifest["files"])
    size = sum(int(f["size"]) for f in manifest["files"])
    emit(args, f"Backed up {n} files ({size:,} bytes, {manifest['audit_entries']} audit entries) to {args.dir}; "
               "keep the master key apart from it.",
         {"dir": str(args.dir), "files": n, "bytes": size, "audit_entries": manifest["audit_entries"],
          "schema_version": manifest["schema_version"]})
    return 0


def run_restore(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    result = restore(ws, args.dir, force=args.force)
    emit(args, f"Restored {result['files']} files from {args.dir} into {result['restored']} "
               f"(audit trail intact: {result['audit_entries']} entries).", result)
    return 0
