"""`keytrace audit data`: the stored tables are checked in the database against their schemas (pandera
through ibis) and the consistency audits, one sentence per failure."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app.cli import main
from core.workspace import Workspace
from ingest.api import ingest_file
from queries.detect import detect
from tests.ingest.test_reconcile_properties import ACCOUNT, pumped_run, reference_bars, trade_history


def test_audit_data_passes_on_real_data_and_names_each_broken_invariant(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    reference_bars(ws)
    path = tmp_path / "trade_history.csv"
    path.write_text(trade_history(pumped_run()))
    ingest_file(ws, path, exchange="binance", account=ACCOUNT)
    detect(ws)
    db = str(ws.settings.db_path)
    assert main(["--db", db, "audit", "data", "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["ok"] and got["schema_violations"] == [] and set(got["audits"].values()) == {0}
    with ws.db.write() as con:   # what no ingest writes: a third side, a second copy of one execution
        con.execute("UPDATE executions SET side = 'short' WHERE source_row = 1")
        con.execute("INSERT INTO executions SELECT * FROM executions WHERE source_row = 2")
        con.execute("DELETE FROM executions WHERE source_row = 3")   # a finding now lacks its execution
    assert main(["--db", db, "audit", "data"]) == 1
    out = capsys.readouterr().out
    assert out.startswith("Data checks FAILED:"), out
    assert "- executions.side fails isin(['buy', 'sell']): 1 rows, e.g. {'side': 'short'}" in out
    assert "- executions fails uniqueness: some rows share (exchange, account, evidence_sha256, source_row)" in out
    assert "- audits/finding_without_evidence returned 1 rows that must not exist" in out
