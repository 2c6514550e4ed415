"""Every Binance format: exact normalised values of several rows each, including the quirky ones."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.ingest.helpers import FIX, table


def test_trade_history_2021(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_spot_trade_history_2021.csv", account="9001")
    assert (res.rows_read, res.rows_added) == (7, 7)
    t = table(ws, "trades")
    assert (t[0]["time_utc"], t[0]["pair"], t[0]["side"], t[0]["price"], t[0]["quantity"], t[0]["quote_quantity"],
            t[0]["fee"], t[0]["fee_asset"]) == (datetime(2021, 6, 14, 21, 52, 18, tzinfo=UTC), "VET/USDT", "buy",
                                                 D("0.14362"), D("70.1"), D("10.067762"), D("0.00001784"), "BNB")
    assert (t[2]["pair"], t[2]["side"], t[2]["quantity"]) == ("LTC/USDT", "sell", D("0.0612"))


def test_fully_quoted_header(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_spot_trade_history_quoted_2023.csv", account="9001")
    assert res.format == "binance_trade_history"
    [t] = table(ws, "trades")
    assert (t["time_utc"], t["pair"], t["price"], t["quantity"], t["quote_quantity"], t["fee"], t["fee_asset"]) == (
        datetime(2023, 11, 30, 7, 45, 12, tzinfo=UTC), "ETH/USDT", D("2043.17"), D("0.002"), D("4.08634"),
        D("0.000002"), "ETH")


def test_bom_zone_header_and_digit_led_assets(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_spot_trade_history_bom_utc_plus1.csv", account="9001")
    assert (res.rows_read, res.rows_added) == (5, 5)
    t = table(ws, "trades")
    # Date(UTC+1): 10:15 local is 09:15 UTC
    assert t[0]["time_utc"] == datetime(2024, 3, 4, 9, 15, tzinfo=UTC)
    assert (t[0]["pair"], t[0]["quantity"], t[0]["fee"], t[0]["fee_asset"]) == ("1INCH/USDT", D("150"), D("0.15"),
                                                                                 "1INCH")
    # 1000SATS with a quoted thousands-separated amount; two identical fills in one second both kept
    assert (t[1]["pair"], t[1]["quantity"], t[1]["quote_quantity"]) == ("1000SATS/FDUSD", D("1250000"), D("483.75"))
    assert [r["occurrence"] for r in t[1:3]] == [1, 2]
    assert (t[3]["price"], t[3]["quote_quantity"]) == (D("63012.55"), D("945.18825"))


def test_legacy_trade_history(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_trade_history_legacy_2018.csv", account="9001")
    assert res.format == "binance_trade_history_legacy"
    t = table(ws, "trades")
    assert (t[0]["pair"], t[0]["side"], t[0]["price"], t[0]["quantity"], t[0]["quote_quantity"], t[0]["fee"],
            t[0]["fee_asset"]) == ("XRP/BTC", "sell", D("0.00009012"), D("850"), D("0.076602"), D("0.00014732"), "BNB")
    assert [(r["source_row"], r["occurrence"]) for r in t[1:]] == [(2, 1), (3, 2)]


def test_transaction_statement_with_junk_rows(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_transaction_statement.csv", skip_bad_rows=True)
    assert (res.account, res.rows_read, res.rows_added, res.rows_rejected) == ("70001", 67, 65, 2)
    rejects = table(ws, "ingest_rejects", "source_row")
    assert [(r["source_row"], r["column_name"], r["reason"]) for r in rejects] == [
        (4, "UTC_Time", "the time is missing"), (5, "Coin", "the coin is missing")]
    assert rejects[0]["raw_line"] == "70001,,Spot,Withdraw,BTC,0.07,Row without a time"
    m = {r["source_row"]: r for r in table(ws, "ledger_movements")}
    assert (m[7]["kind"], m[7]["asset"], m[7]["amount"], m[7]["ref_id"]) == (
        "fee", "ETH", D("-0.00004217"), "2021-01-16 10:31:09|Spot")
    assert m[8]["ref_id"] == m[9]["ref_id"] == m[7]["ref_id"]
    assert m[10]["amount"] == D("0.000005382") and m[10]["kind"] == "reward"
    assert m[16]["amount"] == D("-0.8137742099999999")            # 16 significant digits, exact
    assert m[15]["amount"] == D("-0.052318894712800003")
    assert (m[12]["kind"], m[12]["operation"], m[12]["remark"]) == ("other", "XYZ", "An operation nobody knows")
    assert m[13]["remark"] is None                                  # "" is no remark
    assert (m[18]["wallet"], m[18]["kind"], m[18]["amount"]) == ("Funding", "transfer", D("-250"))
    assert m[22]["remark"] is None and m[22]["kind"] == "trade"    # ragged row: 6 fields
    assert [m[20]["occurrence"], m[21]["occurrence"]] == [1, 2]    # identical rows stay distinct
    assert sum(1 for r in m.values() if r["time_utc"] == datetime(2024, 6, 21, 14, 3, 17, tzinfo=UTC)) == 36


def test_statement_without_user_id_needs_account(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "binance_transaction_statement_no_user_id.csv", account="acct-7")
    assert (res.format, res.account, res.rows_added) == ("binance_transaction_statement", "acct-7", 4)
    m = table(ws, "ledger_movements")
    assert (m[2]["operation"], m[2]["asset"], m[2]["amount"], m[2]["account"]) == ("Sell", "USDT", D("887.22"),
                                                                                     "acct-7")


def test_order_history_2021(ws: Workspace) -> None:
    ingest_file(ws, FIX / "binance_order_history_2021.csv", account="9001")
    o = table(ws, "orders")
    assert (o[0]["order_id"], o[0]["pair"], o[0]["side"], o[0]["order_type"], o[0]["order_price"],
            o[0]["filled_quantity"], o[0]["filled_quote"], o[0]["status"], o[0]["updated_utc"]) == (
        "3187264001", "ADA/USDT", "buy", "limit", D("1.182"), D("25.3"), D("29.9046"), "filled",
        datetime(2021, 7, 19, 13, 6, 40, tzinfo=UTC))
    assert (o[2]["order_price"], o[2]["avg_price"], o[2]["avg_price_text"]) == (None, D("31780.55"), "31,780.55")


def test_order_history_footnotes_zone_in_file_name(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "Binance-Spot-Order-History-202609301805(UTC+2)-part1-of1.csv", account="9001")
    assert res.format == "binance_order_history"
    o = table(ws, "orders")
    assert o[0]["created_utc"] == datetime(2026, 9, 30, 15, 55, 1, tzinfo=UTC)     # 17:55 at UTC+2
    assert (o[0]["pair"], o[0]["order_quantity"], o[0]["filled_quote"]) == ("1INCH/USDT", D("400"), D("100"))
    assert (o[1]["status"], o[1]["filled_quantity"], o[1]["order_price"]) == ("partially_filled", D("0.2"), D("2600"))


def test_deposit_and_withdrawal_v1_direction_from_name(ws: Workspace) -> None:
    dep = ingest_file(ws, FIX / "binance_deposit_history_v1.csv", account="9001")
    wd = ingest_file(ws, FIX / "binance_withdrawal_history_v1.csv", account="9001")
    assert (dep.format, wd.format) == ("binance_deposit_history_v1", "binance_withdrawal_history_v1")
    m = table(ws, "ledger_movements", "kind, source_row")
    assert (m[0]["kind"], m[0]["asset"], m[0]["amount"], m[0]["network"], m[0]["status"]) == (
        "deposit", "ETH", D("1.25"), "ETH", "Completed")
    assert (m[2]["kind"], m[2]["amount"], m[2]["fee"], m[2]["tx_hash"][:8]) == (
        "withdrawal", D("-0.05"), D("0.0005"), "3e2d1c0b")


def test_v2_two_digit_years(ws: Workspace) -> None:
    ingest_file(ws, FIX / "binance_withdrawal_history_v2.csv", account="9001")
    ingest_file(ws, FIX / "binance_deposit_history_v2.csv", account="9001")
    m = table(ws, "ledger_movements", "time_utc")
    assert [(r["time_utc"], r["kind"], r["asset"], r["amount"]) for r in m] == [
        (datetime(2025, 11, 3, 7, 0, 12, tzinfo=UTC), "deposit", "SOL", D("12.5")),
        (datetime(2025, 12, 20, 23, 10, tzinfo=UTC), "withdrawal", "ETH", D("-0.75")),
        (datetime(2025, 12, 21, 0, 51, 45, tzinfo=UTC), "withdrawal", "USDT", D("-250.5")),
    ]


def test_unlisted_quote_asset_split_from_the_amounts(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
                 "2025-06-01 10:00:00,WLFIUSD1,BUY,0.2,100WLFI,20USD1,0.01BNB\n"
                 "2025-06-01 10:00:02,1000SATSUSD1,SELL,0.0004,\"1,000,0001000SATS\",400USD1,0.4USD1\n")
    ingest_file(ws, f, account="9001")
    t = table(ws, "trades")
    assert [(r["pair"], r["quantity"], r["quote_quantity"], r["fee_asset"]) for r in t] == [
        ("WLFI/USD1", D("100"), D("20"), "BNB"), ("1000SATS/USD1", D("1000000"), D("400"), "USD1")]


def test_unsplittable_pair_is_a_clear_bad_row(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
                 "2025-06-01 10:00:00,WLFIXYZ9,BUY,0.2,100WLF,20XYZ,0.01BNB\n")
    with pytest.raises(ValidationError, match=r"^t\.csv, row 1, column 'Pair': the pair 'WLFIXYZ9' does not end with a "
                                              r"known quote asset, and Executed and Amount do not show where to split it"):
        ingest_file(ws, f, account="9001")
    assert table(ws, "trades") == []


def test_binance_convert_successful_conversions_exact_price_from_the_base_side(ws: Workspace) -> None:
    r = ingest_file(ws, FIX / "binance_convert_history.csv", account="b-1")
    assert (r.format, r.kind) == ("binance_convert", "trades")
    got = [(t["source_row"], t["time_utc"], t["base_asset"], t["quote_asset"], t["side"], t["price"], t["quantity"],
            t["quote_quantity"], t["fee"]) for t in table(ws, "trades")]
    assert got == [
        # sold ADA for USDT: price from "1 ADA = 0.5434 USDT"; the time is Date Updated
        (1, datetime(2024, 2, 18, 7, 41, 10, tzinfo=UTC), "ADA", "USDT", "sell", D("0.5434"), D("425.5"),
         D("231.2167"), None),
        # bought DOT with BTC: the pair's base is DOT, so the price is the inverse text "1 DOT = ... BTC"
        (2, datetime(2024, 2, 17, 22, 5, 33, tzinfo=UTC), "DOT", "BTC", "buy", D("0.0010870603"), D("3.79003314"),
         D("0.00412"), None),
        # row 3 expired: not an execution
        (4, datetime(2024, 2, 16, 11, 0, 48, tzinfo=UTC), "ETH", "USDC", "sell", D("2741.71"), D("0.25"),
         D("685.4275"), None),
    ]


def test_binance_convert_without_wallet_and_a_price_too_fine_to_store(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "convert.csv"
    p.write_text("Date,Pair,Type,Sell,Buy,Price,Inverse Price,Date Updated,Status\n"
                 "2023-11-10 14:02:16,LTCETH,Market,0.06 ETH,1.63850661 LTC,1 ETH = 27.3084435 LTC,"
                 "1 LTC = 0.0366187000000000000012 ETH,2023-11-10 14:02:16,Successful\n")
    with pytest.raises(ValidationError, match=r"convert.csv, row 1, column 'Inverse Price': the price "
                                              r"'0.0366187000000000000012' has more than 18 decimals"):
        ingest_file(ws, p, account="b-1")
    p.write_text(p.read_text().replace("0.0366187000000000000012", "0.0366187"))
    ingest_file(ws, p, account="b-1")
    [t] = table(ws, "trades")
    assert (t["pair"], t["side"], t["price"], t["quantity"], t["quote_quantity"]) == (
        "LTC/ETH", "buy", D("0.0366187"), D("1.63850661"), D("0.06"))


def test_rows_quoted_whole_are_read(ws: Workspace) -> None:
    # every line one quoted field (inner quotes doubled): unquoted line for line, then read as usual
    res = ingest_file(ws, FIX / "binance_spot_trade_history_rows_quoted_whole.csv", account="9001")
    assert (res.format, res.rows_read, res.rows_added) == ("binance_trade_history", 2, 2)
    got = [(t["source_row"], t["time_utc"], t["pair"], t["side"], t["price"], t["quantity"], t["quote_quantity"],
            t["fee"], t["fee_asset"]) for t in table(ws, "trades")]
    assert got == [
        (1, datetime(2021, 1, 1, 10, 0, tzinfo=UTC), "BTC/USDT", "buy", D("29105.52"), D("0.00345"), D("100.414044"),
         D("0.00000345"), "BTC"),
        (2, datetime(2021, 1, 1, 10, 3, 41, tzinfo=UTC), "1INCH/USDT", "sell", D("1.245"), D("100"), D("124.5"),
         D("0.1245"), "USDT"),
    ]


def test_order_history_without_the_fill_time_column_in_utc_plus_8(ws: Workspace) -> None:
    # the variant with one time column only, Date(UTC+8): every time is 8 hours ahead of UTC, so a time just
    # before midnight local is the afternoon before in UTC
    res = ingest_file(ws, FIX / "binance_order_history_utc8_no_fill_time.csv", account="9001")
    assert (res.format, res.kind, res.rows_added) == ("binance_order_history_single_time", "orders", 3)
    got = [(o["source_row"], o["order_id"], o["created_utc"], o["updated_utc"], o["pair"], o["side"], o["order_type"],
            o["order_price"], o["order_quantity"], o["filled_quantity"], o["avg_price"], o["filled_quote"], o["status"])
           for o in table(ws, "orders")]
    assert got == [
        (1, "17920044031", datetime(2023, 4, 1, 23, 30, 15, tzinfo=UTC), None, "SOL/USDT", "buy", "limit", D("20.85"),
         D("12.5"), D("12.5"), D("20.85"), D("260.625"), "filled"),
        (2, "17920011870", datetime(2023, 4, 1, 15, 59, 59, tzinfo=UTC), None, "ETH/BTC", "sell", "market", None,
         D("0.4"), D("0.4"), D("0.068412"), D("0.0273648"), "filled"),
        (3, "17919900412", datetime(2023, 3, 31, 22, 5, tzinfo=UTC), None, "XRP/USDT", "sell", "limit", D("1050"),
         D("300"), D("0"), D("0"), D("0"), "canceled"),
    ]


def test_trade_history_in_spanish_and_czech_two_digit_years(ws: Workspace) -> None:
    es = ingest_file(ws, FIX / "binance_historial_operaciones_spot_es.csv", account="9001")
    cs = ingest_file(ws, FIX / "binance_historie_obchodu_spot_cs.csv", account="9001")
    assert (es.format, es.rows_added, cs.format, cs.rows_added) == (
        "binance_trade_history_es", 4, "binance_trade_history_cs", 2)
    got = [(t["format"], t["source_row"], t["occurrence"], t["time_utc"], t["pair"], t["side"], t["price"],
            t["quantity"], t["quote_quantity"], t["fee"], t["fee_asset"]) for t in table(ws, "trades", "format, source_row")]
    assert got == [
        ("binance_trade_history_cs", 1, 1, datetime(2023, 10, 2, 6, 30, tzinfo=UTC), "XRP/EUR", "sell", D("0.2418"),
         D("3100"), D("749.58"), D("0.74958"), "EUR"),
        ("binance_trade_history_cs", 2, 1, datetime(2023, 9, 28, 21, 4, 59, tzinfo=UTC), "BTC/EUR", "buy", D("25410"),
         D("0.004"), D("101.64"), D("0.0000079"), "BNB"),
        # 24-11-30 is 2024-11-30; two identical fills in one second stay two
        ("binance_trade_history_es", 1, 1, datetime(2024, 11, 30, 23, 41, 7, tzinfo=UTC), "DOT/BTC", "sell",
         D("0.0000812"), D("41.3"), D("0.00335356"), D("0.00002711"), "BNB"),
        ("binance_trade_history_es", 2, 2, datetime(2024, 11, 30, 23, 41, 7, tzinfo=UTC), "DOT/BTC", "sell",
         D("0.0000812"), D("41.3"), D("0.00335356"), D("0.00002711"), "BNB"),
        ("binance_trade_history_es", 3, 1, datetime(2024, 2, 5, 8, 0, 31, tzinfo=UTC), "1INCH/USDT", "buy",
         D("0.4612"), D("1200"), D("553.44"), D("1.2"), "1INCH"),
        ("binance_trade_history_es", 4, 1, datetime(2024, 1, 9, 17, 12, tzinfo=UTC), "ETH/EUR", "buy", D("2114.35"),
         D("0.25"), D("528.5875"), D("0.00025"), "ETH"),
    ]


def test_translated_trade_history_zone_from_the_file_name_and_errors_in_its_own_column_names(
        ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "Binance-Historial-de-operaciones-de-spot-202411301200(UTC+1).csv"
    p.write_text("Tiempo,Par,Lado,Precio,Ejecutado,Cantidad,Tarifa\n"
                 "24-11-30 10:00:00,ETHEUR,BUY,2000,0.1ETH,200EUR,0.0001ETH\n"
                 "24-11-30 10:05:00,ETHEUR,COMPRA,2000,0.1ETH,200EUR,0.0001ETH\n")
    with pytest.raises(ValidationError, match=r"row 2, column 'Lado': the side 'COMPRA' is neither BUY nor SELL"):
        ingest_file(ws, p, account="9001")
    p.write_text(p.read_text().replace("COMPRA", "SELL"))
    ingest_file(ws, p, account="9001")
    assert [t["time_utc"] for t in table(ws, "trades")] == [datetime(2024, 11, 30, 9, 0, tzinfo=UTC),
                                                           datetime(2024, 11, 30, 9, 5, tzinfo=UTC)]
