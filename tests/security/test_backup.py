"""keytrace backup / restore: a consistent snapshot with a sealed manifest; a tampered backup is refused."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from app.cli import main
from core import audit
from core.config import load_settings
from core.db import rows
from core.workspace import Workspace
from tests.security.conftest import Report, db_files


def _counts(ws: Workspace) -> dict[str, int]:
    with ws.db.read() as con:
        return {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
                for t in ("trades", "claims", "evidence_files", "audit_log", "users")}


def _target(tmp_path: Path, ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A second database path that shares the master key (as a restore on a new machine would)."""
    dest = tmp_path / "restored" / "case.duckdb"
    dest.parent.mkdir()
    shutil.copyfile(ws.settings.key_file, dest.with_name("case.duckdb.key"))
    os.chmod(dest.with_name("case.duckdb.key"), 0o600)
    return dest


def test_backup_and_restore_round_trip(filled: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    ws = filled
    before = _counts(ws)
    out = tmp_path / "bk"
    assert main(["--db", str(ws.settings.db_path), "backup", str(out), "--json"]) == 0
    made = json.loads(capsys.readouterr().out)
    manifest = json.loads((out / "manifest.json").read_text())
    assert made["files"] == len(manifest["files"]) >= 3
    listed = {f["path"] for f in manifest["files"]}
    assert "database.duckdb" in listed and "audit-head" in listed
    assert any(p.startswith("evidence/") for p in listed)
    # the master key and no plaintext personal datum travel with the backup
    key_text = ws.settings.key_file.read_text().strip()
    for name, data in db_files(out).items():
        assert key_text.encode() not in data, name
        assert b"vera@example.org" not in data and b"Vera Example" not in data, name

    dest = _target(tmp_path, ws, monkeypatch)
    assert main(["--db", str(dest), "restore", str(out)]) == 0
    assert "audit trail intact" in capsys.readouterr().out
    restored = Workspace(load_settings(dest))
    assert _counts(restored) == before
    with restored.db.read() as con:
        assert audit.verify(con, restored.keys, restored.settings) == before["audit_log"]
        shas = [r["sha256"] for r in rows(con, "SELECT sha256 FROM evidence_files WHERE stored")]
    from core.evidence import read_bytes
    for sha in shas:
        assert read_bytes(restored, sha, actor="test", purpose="restore check")


def test_backup_into_a_non_empty_folder_is_refused(filled: Workspace, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "busy"
    out.mkdir()
    (out / "something").write_text("x")
    assert main(["--db", str(filled.settings.db_path), "backup", str(out)]) == 2
    assert "must be new or empty" in capsys.readouterr().err
    assert os.listdir(out) == ["something"]


def _tamper_cases() -> list[str]:
    return ["flip_db_byte", "flip_evidence_byte", "drop_evidence", "add_file", "edit_manifest_and_rehash",
            "path_escape", "wrong_key", "truncate_db", "garbage_seal", "symlink_swap"]


@pytest.mark.parametrize("case", _tamper_cases())
def test_restore_refuses_a_tampered_backup_and_leaves_the_target_untouched(
        filled: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], case: str) -> None:
    ws = filled
    out = tmp_path / "bk"
    assert main(["--db", str(ws.settings.db_path), "backup", str(out)]) == 0
    # the target already holds a different, valid database: a refused restore must not touch it
    dest = _target(tmp_path, ws, monkeypatch)
    other = Workspace(load_settings(dest))
    other.init()
    untouched = db_files(dest.parent)
    manifest = json.loads((out / "manifest.json").read_text())
    evidence = next(f["path"] for f in manifest["files"] if f["path"].startswith("evidence/"))
    if case == "flip_db_byte":
        data = bytearray((out / "database.duckdb").read_bytes())
        data[len(data) // 2] ^= 0xFF
        (out / "database.duckdb").write_bytes(bytes(data))
    elif case == "flip_evidence_byte":
        data = bytearray((out / evidence).read_bytes())
        data[-1] ^= 0x01
        (out / evidence).write_bytes(bytes(data))
    elif case == "drop_evidence":
        (out / evidence).unlink()
    elif case == "add_file":
        (out / "evidence" / "ff").mkdir(exist_ok=True)
        (out / "evidence" / "ff" / ("f" * 64 + ".ktev")).write_bytes(b"planted")
    elif case == "edit_manifest_and_rehash":
        # an attacker without the key edits the database and re-hashes it in the manifest
        (out / "database.duckdb").write_bytes((out / "database.duckdb").read_bytes() + b"\0")
        import hashlib
        for f in manifest["files"]:
            if f["path"] == "database.duckdb":
                f["sha256"] = hashlib.sha256((out / "database.duckdb").read_bytes()).hexdigest()
                f["size"] += 1
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    elif case == "path_escape":
        manifest["files"].append({"path": "../../etc/passwd", "sha256": "0" * 64, "size": 1})
        (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    elif case == "wrong_key":
        dest.with_name("case.duckdb.key").unlink()
        key = tmp_path / "other.key"
        key.write_text("ab" * 32 + "\n")
        os.chmod(key, 0o600)
        monkeypatch.setenv("KEYTRACE_KEY_FILE", str(key))
    elif case == "garbage_seal":
        (out / "manifest.json.hmac").write_bytes("\u00e9\u202e".encode() + b"\xff\x00")
    elif case == "symlink_swap":
        # the listed file is replaced by a link to a file outside the backup with the same content
        outside = tmp_path / "outside.ktev"
        outside.write_bytes((out / evidence).read_bytes())
        (out / evidence).unlink()
        (out / evidence).symlink_to(outside)
    elif case == "truncate_db":
        data = (out / "database.duckdb").read_bytes()
        (out / "database.duckdb").write_bytes(data[: len(data) // 3])
    untouched = db_files(dest.parent)
    status = main(["--db", str(dest), "restore", str(out), "--force"])
    err = capsys.readouterr().err
    assert status == 1, err
    assert err.count("\n") == 1 and err.startswith("keytrace: ")
    assert "Traceback" not in err
    assert db_files(dest.parent) == untouched  # not one byte of the target changed, no staging left behind


def test_restore_over_an_existing_database_needs_force(filled: Workspace, tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "bk"
    assert main(["--db", str(filled.settings.db_path), "backup", str(out)]) == 0
    assert main(["--db", str(filled.settings.db_path), "restore", str(out)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["--db", str(filled.settings.db_path), "restore", str(out), "--force"]) == 0


WRITER = r"""
import sys, time
from app import auth, claims
from core.workspace import Workspace
ws = Workspace.open(sys.argv[1], lock_timeout=120)
user, _ = auth.login(ws, "vera", sys.argv[2])
for i in range(int(sys.argv[3])):
    claims.file_claim(ws, user, exchange="binance", account=f"c{i}", contact_email="vera@example.org")
    time.sleep(0.05)
"""


def test_a_backup_taken_while_claims_are_filed_is_a_consistent_snapshot(
        filled: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], report: Report) -> None:
    import subprocess
    import sys
    import time

    from tests.security.conftest import PASSWORD

    ws = filled
    root = Path(__file__).resolve().parents[2]
    (tmp_path / "none.toml").write_text("")
    env = dict(os.environ, PYTHONPATH=str(root), KEYTRACE_CONFIG=str(tmp_path / "none.toml"))
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(ws.settings.db_path), PASSWORD, "40"], env=env,
                              cwd=tmp_path, stderr=subprocess.PIPE, text=True)
    start = _counts(ws)["claims"]
    while _counts(ws)["claims"] == start and writer.poll() is None:
        time.sleep(0.05)
    outs = []
    for i in range(3):  # backups taken while the writer is filing claims
        time.sleep(0.3 * i)
        out = tmp_path / f"bk{i}"
        assert main(["--db", str(ws.settings.db_path), "backup", str(out)]) == 0, capsys.readouterr().err
        outs.append(out)
    _, err = writer.communicate(timeout=120)
    assert writer.returncode == 0, err
    seen = []
    for i, out in enumerate(outs):
        dest = tmp_path / f"r{i}" / "case.duckdb"
        dest.parent.mkdir()
        shutil.copyfile(ws.settings.key_file, dest.with_name("case.duckdb.key"))
        os.chmod(dest.with_name("case.duckdb.key"), 0o600)
        assert main(["--db", str(dest), "restore", str(out)]) == 0, capsys.readouterr().err
        restored = Workspace(load_settings(dest))
        with restored.db.read() as con:
            entries = audit.verify(con, restored.keys, restored.settings)
            filed = rows(con, "SELECT count(*) AS n FROM claims")[0]["n"]
            logged = rows(con, "SELECT count(*) AS n FROM audit_log WHERE action = 'claim.filed'")[0]["n"]
        assert filed == logged  # every claim in the snapshot has its audit entry, and no entry lacks its claim
        seen.append((filed, entries))
        for p in out.rglob("*"):
            assert (p.stat().st_mode & 0o077) == 0, f"{p} is readable by others"
    report(f"backup under load: 3 backups taken while another process filed 40 claims; snapshots held "
           f"{[s[0] for s in seen]} claims, each restored with its audit chain verified ({[s[1] for s in seen]} "
           "entries) and claims matching their audit entries")
