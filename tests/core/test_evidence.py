from __future__ import annotations

import os
from pathlib import Path

import pytest

from core import evidence
from core.errors import EvidenceTamperedError
from core.workspace import Workspace


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def test_identical_files_are_stored_once(ws: Workspace, tmp_path: Path) -> None:
    a = _write(tmp_path / "a.csv", b"Date(UTC),Pair\n2021-01-01 00:00:00,BTCUSDT\n")
    b = _write(tmp_path / "renamed copy.csv", a.read_bytes())
    with ws.db.write() as con:
        first = evidence.store(ws, con, a, kind="exchange_export", submitted_by="alice", claim_id=1)
        second = evidence.store(ws, con, b, kind="exchange_export", submitted_by="bob", claim_id=2)
    assert first.is_new and not second.is_new
    assert first.sha256 == second.sha256
    stored = list(ws.settings.evidence_dir.rglob("*.ktev"))
    assert len(stored) == 1
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM evidence_files").fetchall()[0][0] == 1
        subs = con.execute("SELECT original_name, submitted_by, claim_id FROM evidence_submissions").fetchall()
        assert subs == [("renamed copy.csv", "bob", 2)]


def test_store_encrypts_and_reads_back_with_custody(ws: Workspace, tmp_path: Path) -> None:
    data = os.urandom(3 * (1 << 20) + 17)  # several chunks
    marker = b"Secret Victim Name"
    src = _write(tmp_path / "big.bin", marker + data)
    with ws.db.write() as con:
        rec = evidence.store(ws, con, src, kind="claim_upload", submitted_by="alice")
    raw = evidence.stored_path(ws, rec.sha256).read_bytes()
    assert marker not in raw
    assert evidence.read_bytes(ws, rec.sha256, actor="inv", purpose="review") == marker + data
    with ws.db.read() as con:
        actions = [r[0] for r in con.execute("SELECT action FROM custody_log ORDER BY id").fetchall()]
    assert actions == ["stored", "read"]


@pytest.mark.parametrize("where", ["first", "middle", "last", "truncate"])
def test_tampered_stored_file_is_detected_on_read(ws: Workspace, tmp_path: Path, where: str) -> None:
    src = _write(tmp_path / "f.csv", os.urandom(2 * (1 << 20) + 5))
    with ws.db.write() as con:
        rec = evidence.store(ws, con, src, kind="exchange_export", submitted_by="alice")
    path = evidence.stored_path(ws, rec.sha256)
    blob = bytearray(path.read_bytes())
    if where == "truncate":
        del blob[-100:]
    else:
        pos = {"first": 40, "middle": len(blob) // 2, "last": len(blob) - 3}[where]
        blob[pos] ^= 0x01
    path.write_bytes(bytes(blob))
    with pytest.raises(EvidenceTamperedError, match=rec.sha256[:12]):
        evidence.read_bytes(ws, rec.sha256, actor="inv", purpose="review")
    with ws.db.read() as con:
        actions = [r[0] for r in con.execute("SELECT action FROM custody_log ORDER BY id").fetchall()]
    assert actions == ["stored", "tamper_detected"]


def test_swapped_stored_files_are_detected(ws: Workspace, tmp_path: Path) -> None:
    a = _write(tmp_path / "a", b"aaaa")
    b = _write(tmp_path / "b", b"bbbb")
    with ws.db.write() as con:
        ra = evidence.store(ws, con, a, kind="x", submitted_by="u")
        rb = evidence.store(ws, con, b, kind="x", submitted_by="u")
    pa, pb = evidence.stored_path(ws, ra.sha256), evidence.stored_path(ws, rb.sha256)
    pa.write_bytes(pb.read_bytes())
    with pytest.raises(EvidenceTamperedError):
        evidence.read_bytes(ws, ra.sha256, actor="inv", purpose="x")


def test_hash_only_storage_keeps_no_content(ws: Workspace, tmp_path: Path) -> None:
    dump = _write(tmp_path / "dump.csv", b"exchange,api_key,secret\nbinance,AKEY,SUPERSECRET\n")
    with ws.db.write() as con:
        rec = evidence.store(ws, con, dump, kind="leak_dump_digest", submitted_by="inv", keep_content=False)
    assert not evidence.stored_path(ws, rec.sha256).exists()
    assert list(ws.settings.evidence_dir.rglob("*")) == []


@pytest.mark.parametrize("name,expected", [
    ("../../etc/passwd", "passwd"),
    ("C:\\Users\\x\\trades.csv", "trades.csv"),
    ("invoice\u202egnp.exe", "invoicegnp.exe"),
    ("..", "unnamed"),
    ("a\x00b.csv", "ab.csv"),
])
def test_safe_name_strips_paths_and_direction_overrides(name: str, expected: str) -> None:
    assert evidence.safe_name(name) == expected
