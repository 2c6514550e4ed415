from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser, main


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_init_then_verify_through_the_real_command(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    r = _run("--db", str(db), "init", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["applied"][0] == 1
    assert (db.with_name("c.duckdb.key").stat().st_mode & 0o777) == 0o600
    r = _run("--db", str(db), "audit", "verify", cwd=tmp_path)
    assert r.returncode == 0 and "intact" in r.stdout


def test_wrong_usage_exits_2(tmp_path: Path) -> None:
    r = _run("no-such-command", cwd=tmp_path)
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_bad_input_exits_1_with_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KEYTRACE_SECRET_KEY", raising=False)
    monkeypatch.setenv("KEYTRACE_SECRET_KEY", "too-short")
    assert main(["--db", str(tmp_path / "x.duckdb"), "init"]) == 0  # init needs no key from the env
    assert main(["--db", str(tmp_path / "x.duckdb"), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "32 bytes" in err


def test_every_command_has_help_with_an_example() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        text = p.format_help()
        nested = [a for a in p._actions if getattr(a, "choices", None) and a.dest.endswith("_command")]
        if nested:
            for child in nested[0].choices.values():  # type: ignore[union-attr]
                assert "Example:" in child.format_help(), f"{name} {child.prog} lacks an example"
        else:
            assert "Example:" in text, f"{name} --help lacks an example"
