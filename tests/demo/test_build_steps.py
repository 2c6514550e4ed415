"""The build says plainly which steps are not built yet, found by import or by the pipeline refusing a file."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.demo import build as demo_build
from app.demo.build import Builder
from app.demo.generate import Generated, generate
from app.views.home import holdings
from core.workspace import Workspace


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("demo-steps") / "files", seed=12, accounts=20)


def test_a_format_the_pipeline_does_not_read_is_reported_and_nothing_of_it_is_loaded(
        ws: Workspace, small: Generated) -> None:
    builder = Builder(ws, small.out, workers=1)
    files = builder.manifest["files"]
    trade_file = next(f for f in files if f["format"] == "binance_trade_history")
    # a file no exporter makes (the ground truth's campaign table) stands in for a format not built yet
    unknown = {"path": "ground_truth/campaigns.csv", "load": "ingest", "format": "some_future_export",
               "exchange": "binance", "account": trade_file["account"]}
    builder.manifest["files"] = [trade_file, unknown]
    builder.ingest_pipeline()
    step = next(s for s in builder.report.steps if s.name == "exchange exports")
    assert step.status == "partly built" and step.missing == ["some_future_export"]
    assert "does not read these formats yet: some_future_export" in step.detail
    assert step.files == 1 and step.rows > 0
    figures = dict(holdings(str(ws.settings.db_path)))
    assert figures["Trades"] == step.rows and figures["Evidence files"] == 1


def test_a_missing_module_is_named_and_the_step_does_nothing(ws: Workspace, small: Generated,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    real = demo_build._module

    def without(name: str) -> Any | None:
        return None if name in ("queries.trace", "ingest.chain.files", "queries.ownership") else real(name)

    claims_doc = json.loads((small.out / "claims" / "claims.json").read_text())
    assert any(c["signs_wallet"] for c in claims_doc["claims"])   # this seed has a claimant who signs
    monkeypatch.setattr(demo_build, "_module", without)
    builder = Builder(ws, small.out, workers=1)
    chain, trace = builder.chain(), builder.trace()
    assert (chain.status, trace.status) == ("not built yet", "not built yet")
    assert chain.missing[0].startswith("ingest.chain.files") and trace.missing == ["queries.trace"]
    claims = builder.claims()
    assert claims.status == "partly built" and "queries.ownership" in claims.missing[0]
    figures = dict(holdings(str(ws.settings.db_path)))
    assert figures["On-chain transfers"] == 0 and figures["Claims"] == claims.rows > 0
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM wallet_proofs").fetchall()[0][0] == 0
