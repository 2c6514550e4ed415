"""Helpers for the security tests: a workspace with real data, and printing figures past pytest's capture."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from app import auth, claims
from app.auth import User
from core.config import load_settings
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.conftest import FIXTURES

PASSWORD = "a long enough password"
TRADES = FIXTURES / "exchange_exports" / "binance_spot_trade_history_2021.csv"

Report = Callable[[str], None]


@pytest.fixture
def report(capsys: pytest.CaptureFixture[str]) -> Report:
    """Print one line of figures to the real stdout, so a plain ``pytest`` run shows it."""

    def say(line: str) -> None:
        with capsys.disabled():
            print(f"\n[security] {line}", flush=True)

    return say


def victim(ws: Workspace, name: str = "vera") -> User:
    return auth.register_victim(ws, username=name, password=PASSWORD, email=f"{name}@example.org")


@pytest.fixture(scope="session")
def _filled_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("filled")
    (folder / "none.toml").write_text("")
    ws = Workspace(load_settings(folder / "case.duckdb", env={"KEYTRACE_CONFIG": str(folder / "none.toml")}),
                   lock_timeout=10)
    ws.init()
    ingest_file(ws, TRADES, account="38811234")
    v = victim(ws)
    claims.file_claim(ws, v, exchange="binance", account="38811234", contact_name="Vera Example",
                      contact_email="vera@example.org", statement="my balance was traded into AKRO",
                      claimed_loss_usd="1250.00")
    return folder


@pytest.fixture
def filled(ws: Workspace, _filled_template: Path) -> Workspace:
    """A workspace with an ingested export (evidence + trades) and one claim with personal data
    (made once per session and copied: argon2 is slow on purpose)."""
    s = ws.settings
    for name, dest in (("case.duckdb", s.db_path), ("case.duckdb.key", s.key_file),
                       ("case.duckdb.audit-head", s.audit_anchor_path)):
        shutil.copyfile(_filled_template / name, dest)
    os.chmod(s.key_file, 0o600)
    shutil.rmtree(s.evidence_dir)
    shutil.copytree(_filled_template / "case.duckdb.evidence", s.evidence_dir)
    ws.__dict__.pop("keys", None)
    return ws


def db_files(path: Path) -> dict[str, bytes]:
    return {str(p.relative_to(path)): p.read_bytes() for p in sorted(path.rglob("*")) if p.is_file()}


# the app tests' real accounts and logged-in AppTest, shared with the security tests
from tests.app.conftest import _people_template, app_for, people  # noqa: E402,F401
