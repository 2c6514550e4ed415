"""What each kind of an account's evidence covers, its gaps, and where the kinds disagree: on the account
page and in the claim report (the same queries)."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from app import claims
from app.cli import main
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.app.conftest import AppFor, People
from tests.app.test_pages import frame

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "exchange_exports"
CONFLICT = ("the statement legs of trade TSTVX5-P6HOO-KCWD2A record a quote quantity of 999.9999 EUR, the fills "
            "999.99999 EUR; the fills are kept as the executions")


@pytest.fixture
def kraken(ws: Workspace, people: People) -> Workspace:
    """A Kraken ledger (EUR amounts to 4 decimals) and the trades export of the same account (5 decimals)."""
    ingest_file(ws, FIX / "kraken_ledgers.csv", account="k1")
    ingest_file(ws, FIX / "kraken_trades.csv", account="k1")
    return ws


def test_the_account_page_shows_coverage_and_conflicts(kraken: Workspace, people: People, app_for: AppFor) -> None:
    at = app_for(people.investigator, "views/account.py")
    at.text_input(key="av_typed").input("kraken:k1").run()
    assert not at.exception
    cover = frame(at, "evidence")
    got = [(r["evidence"], r["from (UTC)"], r["to (UTC)"], r["files"], r["rows"]) for _, r in cover.iterrows()]
    assert got == [("trade history / fills", "2021-07-23 11:22:54", "2021-07-26 00:00:00", 1, 4),
                   ("statement / ledger", "2021-07-20 09:14:02", "2021-08-02 02:00:00", 1, 5)]
    conflicts = frame(at, "conflict")
    assert sorted(conflicts["conflict"]) == ["fee", "quote_quantity"]
    assert CONFLICT in list(conflicts["detail"])
    row = conflicts[conflicts["conflict"] == "quote_quantity"].iloc[0]
    assert (row["kept"], row["other"]) == ("fill 999.99999 EUR", "ledger 999.9999 EUR")
    assert row["other evidence"].endswith(" rows 2;3")


def test_an_account_without_evidence_of_executions_says_so(ws: Workspace, people: People,
                                                           app_for: AppFor) -> None:
    ingest_file(ws, FIX / "kucoin_deposits.csv")  # deposits say nothing about trading
    with ws.db.read() as con:
        [(acct,)] = con.execute("SELECT account FROM accounts").fetchall()
    at = app_for(people.investigator, "views/account.py")
    at.text_input(key="av_typed").input(f"kucoin:{acct}").run()
    assert not at.exception
    assert any(w.value.startswith("No evidence of this account's executions") for w in at.warning)


def test_the_claim_report_lists_coverage_gaps_and_conflicts(kraken: Workspace, people: People, tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    cid = claims.file_claim(kraken, people.victim, exchange="kraken", account="k1", contact_email="k@example.org")
    out = tmp_path / "claim.pdf"
    assert main(["--db", str(kraken.settings.db_path), "report", "claim", str(cid), "--unsigned",
                 "--out", str(out)]) == 0
    capsys.readouterr()
    text = " ".join(" ".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages).split())
    assert "Evidence coverage" in text and "trade history / fills" in text and "statement / ledger" in text
    assert "Conflicts between kinds of evidence" in text
    assert "record a quote quantity of 999.9999 EUR, the fills 999.99999 EUR" in text
    assert "No unauthorised trade was found in the periods the account's evidence covers" in text
