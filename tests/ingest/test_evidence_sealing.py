"""The evidence copy is hashed and encrypted on a thread while DuckDB parses the file.

What a user relies on: a committed ingest has its encrypted copy in the store and nothing else left
in the evidence folder; a refused ingest leaves the folder exactly as it was; a copy sealed by a process
that died is cleaned up by the next store, and a live process's copy is not touched.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from core import evidence
from core.errors import ValidationError
from core.workspace import Workspace
from ingest.api import ingest_file

HEADER = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
GOOD = "2022-12-25 22:29:00,AKROUSDT,BUY,0.00651,100AKRO,0.651USDT,0.1AKRO\n"


def _evidence_files(ws: Workspace) -> list[str]:
    return sorted(p.name for p in ws.settings.evidence_dir.rglob("*") if p.is_file())


def test_committed_ingest_stores_one_encrypted_copy_and_nothing_else(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(HEADER + GOOD * 3)
    res = ingest_file(ws, f, account="u1")
    assert _evidence_files(ws) == [f"{res.evidence_sha256}.ktev"]
    assert b"".join(evidence.iter_plaintext(ws, res.evidence_sha256)) == f.read_bytes()
    # the same content again: already stored, so no second copy and no leftover
    again = tmp_path / "again.csv"
    again.write_bytes(f.read_bytes())
    assert ingest_file(ws, again, account="u1").rows_added == 0
    assert _evidence_files(ws) == [f"{res.evidence_sha256}.ktev"]


def test_refused_ingest_leaves_the_evidence_folder_as_it_was(ws: Workspace, tmp_path: Path) -> None:
    before = _evidence_files(ws)
    f = tmp_path / "bad.csv"
    # big enough that sealing is still running when validation refuses the file
    f.write_text(HEADER + GOOD * 200_000 + "2022-12-25 22:29:00,AKROUSDT,BUY,abc,100AKRO,0.651USDT,0.1AKRO\n")
    with pytest.raises(ValidationError, match=r"row 200001, column 'Price': the price 'abc' is not a number"):
        ingest_file(ws, f, account="u1")
    assert _evidence_files(ws) == before


def _dead_pid() -> str:
    return subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True,
                          check=True).stdout.strip()


def _age(path: Path, hours: float) -> None:
    then = time.time() - hours * 3600
    for p in [path, *(path.rglob("*") if path.is_dir() else [])]:
        os.utime(p, (then, then))


def test_copies_sealed_by_dead_processes_are_removed_by_the_next_store(ws: Workspace, tmp_path: Path) -> None:
    dead = _dead_pid()
    shard = ws.settings.evidence_dir / "ab"
    shard.mkdir(parents=True, exist_ok=True)
    orphan = shard / f".prepared-{dead}-x1"
    orphan.write_bytes(b"half a copy")
    _age(orphan, 7)
    recent = shard / f".prepared-{dead}-x2"   # dead by its pid, but touched lately: maybe another PID namespace
    recent.write_bytes(b"in progress elsewhere")
    live = shard / f".prepared-{os.getpid()}-x3"   # an ingest of this process that has not merged yet
    live.write_bytes(b"in progress")
    _age(live, 7)
    f = tmp_path / "t.csv"
    f.write_text(HEADER + GOOD)
    ingest_file(ws, f, account="u1")
    assert not orphan.exists()
    assert recent.exists() and live.exists()


def test_staging_folders_of_dead_ingests_are_removed(ws: Workspace, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))
    dead = _dead_pid()
    killed = temp / f"keytrace-stage-{dead}-abc"
    (killed / "stage.duckdb").parent.mkdir()
    (killed / "stage.duckdb").write_bytes(b"\0" * 4096)
    _age(killed, 7)
    fresh = temp / f"keytrace-stage-{dead}-def"
    fresh.mkdir()
    mine = temp / f"keytrace-stage-{os.getpid()}-ghi"
    mine.mkdir()
    _age(mine, 7)
    f = tmp_path / "t.csv"
    f.write_text(HEADER + GOOD)
    ingest_file(ws, f, account="u1")
    assert sorted(p.name for p in temp.iterdir()) == sorted([fresh.name, mine.name])
