"""The demo build loads every file through the user's interfaces; a file the pipeline refuses stops the
build with one sentence naming it (the generator and the pipeline ship together: a refusal is a defect)."""

from __future__ import annotations

import pytest

from app.analysis import holdings
from core.errors import InputError
from core.workspace import Workspace
from incident_demo.build import Builder
from incident_demo.generate import Generated, generate


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Generated:
    return generate(tmp_path_factory.mktemp("demo-steps") / "files", seed=12, accounts=20)


def test_a_refused_demo_file_stops_the_build_naming_it(ws: Workspace, small: Generated) -> None:
    builder = Builder(ws, small.out, workers=1)
    files = builder.manifest["files"]
    trade_file = next(f for f in files if f["format"] == "binance_trade_history")
    # a file no exporter makes (the ground truth's campaign table) stands in for a generator defect
    unknown = {"path": "ground_truth/campaigns.csv", "load": "ingest", "format": "some_future_export",
               "exchange": "binance", "account": trade_file["account"]}
    builder.manifest["files"] = [trade_file, unknown]
    with pytest.raises(InputError, match=r"^the demo file ground_truth/campaigns.csv was refused: campaigns.csv"):
        builder.ingest_pipeline()
    figures = dict(holdings(str(ws.settings.db_path)))
    assert figures["Evidence files"] == 1 and figures["Trades"] > 0   # the file before it was loaded


def test_every_step_loads_through_the_real_interfaces(ws: Workspace, small: Generated) -> None:
    report = Builder(ws, small.out, workers=1).run()
    steps = {s.name: s for s in report.steps}
    figures = dict(holdings(str(ws.settings.db_path)))
    assert figures["On-chain transfers"] == steps["on-chain transfers"].rows > 0
    assert figures["Claims"] == steps["claims"].rows > 0
    assert steps["detection"].rows > 0 and steps["fund-flow trace"].rows > 0
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM wallet_proofs").fetchall()[0][0] > 0
