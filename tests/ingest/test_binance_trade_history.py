"""Binance Spot Trade History: exact normalised values of the quirky rows, re-ingest, overlap."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from core.db import rows
from core.errors import UsageError, ValidationError
from core.workspace import Workspace
from ingest.api import ingest_file

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "exchange_exports"


def trades(ws: Workspace) -> list[dict[str, object]]:
    with ws.db.read() as con:
        return rows(con, "SELECT * FROM trades ORDER BY source_row, occurrence")


def test_trade_history_2018_values(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_spot_trade_history_2018.csv", account="8001")
    assert (res.format, res.exchange, res.account, res.rows_read, res.rows_added) == (
        "binance_trade_history", "binance", "8001", 8, 8)
    got = trades(ws)
    first, quoted, same_second = got[0], got[1], got[5]
    assert first["time_utc"] == datetime(2018, 5, 2, 11, 14, 37, tzinfo=UTC)
    assert (first["pair"], first["side"], first["price"], first["quantity"], first["quote_quantity"],
            first["fee"], first["fee_asset"]) == ("TRX/BTC", "sell", Decimal("0.00000913"), Decimal("412"),
                                                  Decimal("0.00376156"), Decimal("0.00112847"), "BNB")
    # quoted thousands separator
    assert quoted["price"] == Decimal("9218.45") and quoted["pair"] == "BTC/USDT" and quoted["side"] == "buy"
    # two fills of one order in one second stay two rows
    assert got[4]["time_utc"] == same_second["time_utc"]
    assert same_second["quantity"] == Decimal("21.64") and same_second["source_row"] == 6
    # fee in the base asset
    assert (got[7]["fee"], got[7]["fee_asset"]) == (Decimal("0.31"), "APPC")
    assert all(t["evidence_sha256"] == res.evidence_sha256 and t["ingest_run_id"] == res.run_id for t in got)


def test_reingest_changes_nothing(ws: Workspace) -> None:
    ingest_file(ws, FIX / "binance_spot_trade_history_2018.csv", account="8001")
    before = trades(ws)
    again = ingest_file(ws, FIX / "binance_spot_trade_history_2018.csv", account="8001")
    assert (again.rows_read, again.rows_added, again.evidence_is_new) == (8, 0, False)
    assert trades(ws) == before


def test_account_is_required_when_the_file_has_none(ws: Workspace) -> None:
    with pytest.raises(UsageError, match=r"does not say which binance account.*--account"):
        ingest_file(ws, FIX / "binance_spot_trade_history_2018.csv")
    assert trades(ws) == []


def test_amount_must_be_price_times_executed_within_the_files_rounding(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "edited.csv"
    header = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
    # exact, rounded at the amount's 8th decimal (0.2291712 x 43.7 = 10.01478144), and one unit off
    ok = ("2021-05-09 22:47:36,VETUSDT,BUY,0.2291712000,43.7000000000VET,10.01478144USDT,0.0000114300BNB\n"
          "2021-05-09 22:48:00,VETUSDT,BUY,0.2291712300,43.7000000000VET,10.01478275USDT,0.0000114300BNB\n"
          "2021-05-09 22:49:00,VETUSDT,BUY,0.2291712300,43.7000000000VET,10.01478276USDT,0.0000114300BNB\n")
    edited = "2021-05-09 22:50:00,VETUSDT,BUY,0.2291700000,43.7000000000VET,100.14729000USDT,0.0000114300BNB\n"
    f.write_text(header + ok + edited)
    with pytest.raises(ValidationError, match=r"^edited\.csv, row 4, column 'Amount': the amount 100\.14729 USDT is "
                                              r"not Price x Executed = 0\.22917 x 43\.7 = 10\.014729 USDT \(they "
                                              r"differ by more than the file's rounding, 0\.0000000[0-9]+\): was the "
                                              r"row edited, or a column shifted\?"):
        ingest_file(ws, f, account="8001")
    assert trades(ws) == []
    f.write_text(header + ok)
    assert ingest_file(ws, f, account="8001").rows_added == 3
