"""Someone who files a claim on another person's account UID learns nothing about it and cannot add to it."""

from __future__ import annotations

from pathlib import Path

import pytest

from app import claim_findings, claims, uploads
from core.errors import InputError
from core.workspace import Workspace
from queries.records import FraudSignal
from tests.app.conftest import AppFor, People
from tests.app.test_analysis_pages import incident  # noqa: F401 - the fixture: account binance:111 with losses
from tests.app.test_pages import texts
from tests.conftest import FIXTURES

TRADES = FIXTURES / "exchange_exports" / "binance_spot_trade_history_2018.csv"


def test_a_claim_on_someone_elses_uid_shows_no_findings_and_takes_no_uploads(
        incident: None, ws: Workspace, app_for: AppFor, people: People, tmp_path: Path) -> None:  # noqa: F811
    mine = claims.file_claim(ws, people.victim, exchange="binance", account="111", contact_email="v@example.org")
    theirs = claims.file_claim(ws, people.other_victim, exchange="binance", account="111",
                               contact_email="o@example.org")
    at = app_for(people.other_victim, "views/my_claims.py")
    shown = texts(at)
    assert "Computed loss (USD)" not in [m.label for m in at.metric] and "362.88" not in shown
    assert "The loss keytrace computes for an account is shown to its holder" in shown
    with ws.db.read() as con:
        before = con.execute("SELECT count(*) FROM trades").fetchall()
    for who, cid in ((people.other_victim, theirs), (people.victim, mine)):
        with pytest.raises(InputError, match="cannot be added to your claim until an investigator has reviewed it"):
            uploads.attach_upload(ws, who, cid, TRADES)
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM trades").fetchall() == before
        assert con.execute("SELECT count(*) FROM claim_evidence").fetchall() == [(0,)]
    # staff still see the figures, and see why
    assert claim_findings.detail(ws, people.investigator, theirs).computed_loss is not None
    assert FraudSignal(theirs, "SHARED_UID", f"account binance:111 is also claimed in claim {mine}") in \
        claim_findings.assessment(ws, people.investigator, theirs).fraud_signals
    # once staff reject the bogus claim, it no longer blocks the account's holder
    claims.set_status(ws, people.investigator, theirs, "rejected", "the claimant could not show the account is theirs")
    upload = tmp_path / "export.csv"
    upload.write_bytes(TRADES.read_bytes())
    assert uploads.attach_upload(ws, people.victim, mine, upload).rows_added > 0
