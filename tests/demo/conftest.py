"""The demo incident built once per test session by the real command (`keytrace demo --no-serve`); each
module that uses it works on its own copy of the database folder, so no module sees another's writes."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.demo.test_demo_command import keytrace


@pytest.fixture(scope="session")
def demo_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("demo-cli")
    db = tmp / "demo" / "keytrace.duckdb"
    done = keytrace("--db", str(db), "demo", "--no-serve", "--seed", "5", "--accounts", "20", "--json", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return db, json.loads(done.stdout)


@pytest.fixture(scope="module")
def built(demo_build: tuple[Path, dict[str, Any]], tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, dict[str, Any]]:
    """A copy of the demo's database folder (database, evidence store, key, audit head, signing key) and
    what the build printed; the generated files it names stay where the build wrote them (read only)."""
    db, out = demo_build
    folder = tmp_path_factory.mktemp("demo-copy") / db.parent.name
    shutil.copytree(db.parent, folder, ignore=shutil.ignore_patterns("*.lock"))
    return folder / db.name, out
