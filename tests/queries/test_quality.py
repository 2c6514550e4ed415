"""Detection quality against the demo generator's ground truth, on a small incident (bench/quality.py
runs the same evaluation on full-size incidents at two seeds)."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest

from app.cli import main
from core.workspace import Workspace
from queries import runner

ROOT = Path(__file__).resolve().parents[2]


def _quality() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bench_quality", ROOT / "bench" / "quality.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module   # dataclasses look their module up by name
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_small_demo_meets_the_quality_targets(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db, files = tmp_path / "demo.duckdb", tmp_path / "files"
    assert main(["--db", str(db), "demo", "--seed", "3", "--accounts", "30", "--no-serve", "--out", str(files),
                 "--json"]) == 0
    capsys.readouterr()
    q = _quality().evaluate(db, files, seed=3)
    assert q.true_unauthorized > 0 and q.campaigns_true > 0
    assert q.precision >= 0.95, q.line()
    assert q.recall >= 0.95, q.line()
    assert q.worst_loss_error <= 0.05, q.line()
    assert q.campaigns_found == q.campaigns_true and q.campaign_jaccard_min == 1.0, q.line()
    assert q.campaign_pairs_matched == q.campaigns_true, q.line()
    assert q.cash_out_true > 0 and q.cash_out_exact == q.cash_out_true, q.line()
    ws = Workspace.open(db)
    with ws.db.read() as con:
        assert all(rows == [] for rows in runner.run_audits(con).values())
