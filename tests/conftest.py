"""Shared fixtures: a real DuckDB file and key in a temporary folder for every test that needs one."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.config import load_settings
from core.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"


@pytest.fixture
def ws(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Workspace]:
    """An initialised workspace (database, key file, evidence folder) in a temporary folder."""
    for var in ("KEYTRACE_DB", "KEYTRACE_SECRET_KEY", "KEYTRACE_KEY_FILE", "KEYTRACE_EVIDENCE_DIR",
                "KEYTRACE_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    workspace = Workspace(load_settings(tmp_path / "case.duckdb"), lock_timeout=10)
    workspace.init()
    yield workspace
