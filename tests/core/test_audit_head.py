"""The audit head file: deleting it together with the tail of the trail must not pass verification."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from app.cli import main
from core import audit
from core.workspace import Workspace


def _fill(ws: Workspace, n: int = 6) -> None:
    for i in range(n):
        with ws.db.write() as con:
            audit.record(con, ws.keys, ws.settings, actor="inv", action="test.write", obj=f"thing:{i}")


def _verify(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    capsys.readouterr()
    code = main(["--db", str(ws.settings.db_path), "audit", "verify"])
    return code, capsys.readouterr().out


def test_an_intact_trail_verifies(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    _fill(ws)
    assert ws.settings.audit_anchor_path.exists()
    code, out = _verify(ws, capsys)
    assert code == 0 and "Audit trail intact: 6 entries verified." in out


def test_a_deleted_tail_with_a_deleted_head_file_is_not_intact(ws: Workspace,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    _fill(ws)
    with ws.db.write() as con:
        con.execute("DELETE FROM audit_log WHERE seq >= 4")
    ws.settings.audit_anchor_path.unlink()
    code, out = _verify(ws, capsys)
    assert code == 1 and "intact" not in out
    assert "head file case.duckdb.audit-head is missing" in out and "cannot be verified" in out
    assert len(out.strip().splitlines()) == 1
    # a later write does not re-anchor the truncated trail
    _fill(ws, 1)
    assert not ws.settings.audit_anchor_path.exists()
    code, out = _verify(ws, capsys)
    assert code == 1 and "missing" in out


def test_a_new_database_anchors_its_first_entry(tmp_path: Path, ws: Workspace,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "new" / "fresh.duckdb"
    db.parent.mkdir()
    assert main(["--db", str(db), "init"]) == 0
    assert main(["--db", str(db), "audit", "verify"]) == 0
    assert "0 entries" in capsys.readouterr().out
    fresh = Workspace.open(db)
    _fill(fresh, 2)
    assert fresh.settings.audit_anchor_path.exists()
    code, out = _verify(fresh, capsys)
    assert code == 0 and "2 entries" in out


def test_a_restore_brings_the_head_file_back(ws: Workspace, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    _fill(ws)
    db = str(ws.settings.db_path)
    assert main(["--db", db, "backup", str(tmp_path / "bk")]) == 0
    ws.settings.audit_anchor_path.unlink()
    assert _verify(ws, capsys)[0] == 1
    assert main(["--db", db, "restore", str(tmp_path / "bk"), "--force"]) == 0
    code, out = _verify(ws, capsys)
    assert code == 0 and "6 entries" in out


def test_a_backup_without_its_head_file_is_not_restored(ws: Workspace, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    _fill(ws)
    ws.settings.audit_anchor_path.unlink()
    assert main(["--db", str(ws.settings.db_path), "backup", str(tmp_path / "bk")]) == 0
    target = tmp_path / "other" / "case.duckdb"
    target.parent.mkdir()
    shutil.copyfile(ws.settings.key_file, target.with_name("case.duckdb.key"))
    target.with_name("case.duckdb.key").chmod(0o600)
    capsys.readouterr()
    assert main(["--db", str(target), "restore", str(tmp_path / "bk")]) != 0
    assert "head file" in capsys.readouterr().err and not target.exists()
