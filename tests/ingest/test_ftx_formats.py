"""FTX exports (the October 2022 DMG case): trades, deposits, withdrawals, in web and API spelling."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import UsageError, ValidationError
from core.workspace import Workspace
from tests.ingest.format_helpers import D, ingest, stored, table_counts


def test_ftx_trades_exact_values_and_identical_fills(ws: Workspace) -> None:
    result = ingest(ws, "ftx_trades.csv", account="victim-1")
    assert (result.format, result.exchange, result.rows_read, result.rows_added) == ("ftx_trades", "ftx", 5, 5)
    t = stored(ws, "trades")
    assert [r["trade_id"] for r in t] == ["4820113357", "4820113358", "4820113402", "4820119911", "4820120007"]
    first = t[0]
    assert first["time_utc"] == datetime(2022, 10, 20, 22, 41, 7, 412855, tzinfo=UTC)
    assert (first["pair"], first["side"], first["price"], first["quantity"], first["quote_quantity"]) == (
        "DMG/USD", "buy", D("0.0482"), D("1520.5"), D("73.2881"))
    assert (first["fee"], first["fee_asset"], first["account"], first["source_row"]) == (
        D("0.02931524"), "USD", "victim-1", 1)
    assert first["evidence_sha256"] == result.evidence_sha256
    assert t[1]["source_row"] == 2 and t[1]["time_utc"] == first["time_utc"]  # same second, distinct fill
    assert t[2]["time_utc"] == datetime(2022, 10, 20, 22, 41, 8, 3000, tzinfo=UTC)
    assert (t[3]["fee"], t[3]["time_utc"]) == (D("-0.0312"), datetime(2022, 10, 20, 22, 45, 31, tzinfo=UTC))
    assert (t[4]["pair"], t[4]["base_asset"], t[4]["quote_asset"]) == ("BTC-PERP/USD", "BTC-PERP", "USD")
    assert t[4]["time_utc"] == datetime(2022, 10, 20, 22, 50, 0, 1, tzinfo=UTC)
    # re-ingesting changes nothing
    before = table_counts(ws)
    again = ingest(ws, "ftx_trades.csv", account="victim-1")
    assert again.rows_added == 0
    after = table_counts(ws)
    assert {k: v for k, v in after.items() if k not in ("ingest_runs", "audit_log")} == \
        {k: v for k, v in before.items() if k not in ("ingest_runs", "audit_log")}


def test_ftx_trades_api_spelling(ws: Workspace) -> None:
    result = ingest(ws, "ftx_trades_api.csv", account="victim-1")
    assert result.format == "ftx_trades_api"
    t = stored(ws, "trades")
    assert [(r["pair"], r["side"], r["quantity"], r["quote_quantity"], r["fee"], r["fee_asset"]) for r in t] == [
        ("FTT/USD", "buy", D("12.5"), D("715.125"), D("0.28605"), "USD"),
        ("SOL/USDT", "sell", D("3"), D("709.35"), D("0.00022"), "SOL")]
    assert t[0]["time_utc"] == datetime(2021, 11, 2, 3, 14, 15, 926535, tzinfo=UTC)


def test_ftx_needs_an_account(ws: Workspace) -> None:
    with pytest.raises(UsageError, match="give it with --account"):
        ingest(ws, "ftx_trades.csv")


def test_ftx_bad_row_names_row_and_column(ws: Workspace, tmp_path: Path) -> None:
    bad = tmp_path / "ftx_trades.csv"
    bad.write_text("ID,Time,Market,Side,Order Type,Size,Price,Total,Fee,Fee Currency\n"
                   "1,2022-10-20T22:41:07+00:00,DMG/USD,buy,Market,10,0.05,0.5,0,USD\n"
                   "2,2022-10-20T22:41:08+00:00,DMG/USD,hold,Market,10,0.05,0.5,0,USD\n")
    before = table_counts(ws)
    with pytest.raises(ValidationError) as exc:
        ingest(ws, bad, account="a")
    assert str(exc.value) == ("ftx_trades.csv, row 2, column 'Side': the side 'hold' is neither buy nor sell "
                              "(nothing was stored)")
    assert table_counts(ws) == before
