"""Exports found in the wild (issue 16): OKEx 2020 trade history, Binance Auto-Invest and ETH 2.0 staking
histories, and the Binance 2020 order history whose orders are followed by their fills.

The fixtures re-create the real shapes (headers, BOMs, line ends, number formats, sub-rows) with values of
our own; docs/ingest.md names where each shape was seen.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import InputError, ValidationError
from core.workspace import Workspace
from tests.ingest.format_helpers import EXPORTS, D, ingest, stored, table_counts

BOM = "\ufeff"


def _fill(t: dict[str, object]) -> tuple[object, ...]:
    return (t["source_row"], t["time_utc"], t["base_asset"], t["quote_asset"], t["side"], t["price"], t["quantity"],
            t["quote_quantity"], t["fee"], t["fee_asset"], t["order_id"], t["trade_id"], t["liquidity"])


# -- OKEx 2020 trade history ------------------------------------------------------------------------------

def test_okex_2020_bom_before_every_field_and_mixed_line_ends(ws: Workspace) -> None:
    raw = (EXPORTS / "okex_trade_history_2020.csv").read_bytes()
    assert b"\r\n" in raw and b"0.750000,\xef\xbb\xbf352.41" in raw and raw.count(b"\r\n") < raw.count(b"\n")
    r = ingest(ws, "okex_trade_history_2020.csv", account="okx-1")
    assert (r.format, r.kind, r.rows_read, r.rows_added) == ("okx_trade_history_2020", "trades", 3, 3)
    assert [_fill(t) for t in stored(ws, "trades")] == [
        # a buy: Amount positive, Total negative (paid) with the exchange's 18 decimals of noise kept, the fee
        # (negative in the file) in the bought asset
        (1, datetime(2020, 10, 2, 8, 15, 44, tzinfo=UTC), "ETH", "USDT", "buy", D("352.41"), D("0.75"),
         D("264.307499999999990905"), D("0.00075"), "ETH", "4471", "9012", "taker"),
        # a sell: Amount negative, the fee in the quote asset
        (2, datetime(2020, 10, 2, 9, 1, 5, tzinfo=UTC), "ETH", "USDT", "sell", D("355.80"), D("0.42"),
         D("149.435999999999978172"), D("0.0597744"), "USDT", "4472", "9013", "maker"),
        (3, datetime(2020, 10, 3, 23, 59, 59, tzinfo=UTC), "OKB", "BTC", "buy", D("0.00048211"), D("12.5"),
         D("0.006026375"), D("0.0125"), "OKB", "4480", "9020", "taker"),
    ]


def test_okex_2020_short_variant_with_a_bom_on_the_first_field_only(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "trade_history.csv"
    p.write_text(BOM + "Trade ID,Trade Time,Pairs,Amount,Price,Total,Fee,unit\n"
                 + BOM + "77,2020-06-30 00:00:01,btc_usdt,-0.0125,9150.5,114.38125 USDT,-0.17157188 USDT,BTC\n",
                 encoding="utf-8")
    r = ingest(ws, p, account="okx-1")
    assert r.format == "okx_trade_history_2020"
    [t] = stored(ws, "trades")
    assert _fill(t) == (1, datetime(2020, 6, 30, 0, 0, 1, tzinfo=UTC), "BTC", "USDT", "sell", D("9150.5"),
                        D("0.0125"), D("114.38125"), D("0.17157188"), "USDT", None, "77", None)


@pytest.mark.parametrize(("old", "new", "reason"), [
    ("-264.307499999999990905 USDT", "-264.3075 BTC",
     "column 'Total': the total is in BTC, not in the quote asset USDT of eth_usdt"),
    (f"{BOM}ETH", f"{BOM}LTC", "column 'unit': the unit 'LTC' is not the base asset ETH of eth_usdt"),
    (f"{BOM}0.750000,", f"{BOM}0,", "column 'Amount': the amount is zero, so the side [(]its sign[)] is unknown"),
])
def test_okex_2020_refusals_name_file_row_and_column(ws: Workspace, tmp_path: Path, old: str, new: str,
                                                     reason: str) -> None:
    lines = (EXPORTS / "okex_trade_history_2020.csv").read_bytes().decode("utf-8").split("\n")
    assert old in lines[1]
    lines[1] = lines[1].replace(old, new, 1)  # the first data row; the file keeps its BOMs and mixed line ends
    p = tmp_path / "okex.csv"
    p.write_bytes("\n".join(lines).encode("utf-8"))
    before = table_counts(ws)
    with pytest.raises(ValidationError, match="okex.csv, row 1, " + reason):
        ingest(ws, p, account="okx-1")
    assert table_counts(ws) == before  # a refused file changes nothing


def test_any_export_mixing_line_ends_reads_as_the_same_rows(ws: Workspace, tmp_path: Path) -> None:
    lines = (EXPORTS / "binance_spot_trade_history_2021.csv").read_text().splitlines()
    p = tmp_path / "mixed.csv"
    p.write_bytes("".join(ln + ("\r\n" if i % 2 else "\n") for i, ln in enumerate(lines)).encode())
    mixed = ingest(ws, p, account="9001")
    got = stored(ws, "trades")
    assert mixed.rows_added == len(lines) - 1 == len(got)
    assert [(t["source_row"], t["quote_quantity"]) for t in got] == [
        (t["source_row"], t["quote_quantity"]) for t in _ingested_alone(tmp_path, "binance_spot_trade_history_2021.csv")]


def _ingested_alone(tmp_path: Path, name: str) -> list[dict[str, object]]:
    from core.config import load_settings

    other = Workspace(load_settings(tmp_path / "other.duckdb"), lock_timeout=10)
    other.init()
    ingest(other, name, account="9001")
    return stored(other, "trades")


# -- Binance Auto-Invest and ETH 2.0 Staking -----------------------------------------------------------------

def test_auto_invest_purchases_price_exactly_truncated(ws: Workspace) -> None:
    r = ingest(ws, "binance_auto_invest.csv", account="b-1")
    # four rows; the failed period bought nothing
    assert (r.format, r.kind, r.rows_read, r.rows_added) == ("binance_auto_invest", "trades", 4, 3)
    got = [(t["source_row"], t["time_utc"], t["base_asset"], t["quote_asset"], t["side"], t["price"], t["quantity"],
            t["quote_quantity"], t["fee"], t["fee_asset"], t["channel"]) for t in stored(ws, "trades")]
    assert got == [
        # 10 / 0.00033333 = 30000.3000030000300003000030..., truncated to 18 decimals
        (1, datetime(2022, 6, 1, 14, 0, tzinfo=UTC), "BTC", "USDT", "buy", D("30000.300003000030000300"),
         D("0.00033333"), D("10"), D("0.0025"), "USDT", "Spot Wallet"),
        # "--": no fee charged
        (2, datetime(2022, 6, 1, 14, 0, tzinfo=UTC), "ETH", "USDT", "buy", D("1824.802866546327000294"),
         D("0.01370011"), D("25"), D("0"), "USDT", "Spot Wallet + Flexible Savings"),
        (4, datetime(2022, 6, 8, 14, 0, tzinfo=UTC), "XLM", "BUSD", "buy", D("0.040500000368550003"),
         D("1234.56789"), D("50"), D("0.0125"), "BUSD", "Flexible Savings"),
    ]


def test_auto_invest_price_is_truncated_not_rounded(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "auto_invest.csv"
    p.write_text("Auto-Invest Date(UTC),Holding Coin,Amount per period,Trading Fee,Units,From,Status\n"
                 "2023-01-01 00:00:00,BNB,2.00000000 USDT,--,3.00000000 BNB,Spot Wallet,Success\n")
    ingest(ws, p, account="b-1")
    [t] = stored(ws, "trades")
    assert t["price"] == D("0.666666666666666666")  # rounding would end ...667


@pytest.mark.parametrize(("old", "new", "message"), [
    ("0.00033333 BTC", "0.00033333 ETH", "row 1, column 'Units': the units are in ETH, not in the holding coin BTC"),
    ("0.00250000 USDT", "0.0025", "row 1, column 'Trading Fee': the trading fee '0.0025' is not a number followed"),
    (",Success", ",Pending", "row 1, column 'Status': the status 'Pending' is neither Success nor Failed"),
    ("2022-06-01 14:00:00", "6/1/2022 14:00", "row 1, column 'Auto-Invest Date[(]UTC[)]': the time '6/1/2022 14:00' is "
                                              "written day/month/year"),
])
def test_auto_invest_refusals(ws: Workspace, tmp_path: Path, old: str, new: str, message: str) -> None:
    lines = (EXPORTS / "binance_auto_invest.csv").read_text().splitlines()
    lines[1] = lines[1].replace(old, new, 1)
    p = tmp_path / "auto.csv"
    p.write_text("\n".join(lines) + "\n")
    before = table_counts(ws)
    with pytest.raises((ValidationError, InputError), match="auto.csv.*" + message):
        ingest(ws, p, account="b-1")
    assert table_counts(ws) == before


def test_eth2_staking_is_eth_out_and_beth_in(ws: Workspace) -> None:
    r = ingest(ws, "binance_eth2_staking.csv", account="b-1")
    assert (r.format, r.kind, r.rows_read, r.rows_added) == ("binance_eth2_staking", "ledger_movements", 3, 4)
    got = [(m["source_row"], m["time_utc"], m["kind"], m["operation"], m["asset"], m["amount"], m["ref_id"])
           for m in sorted(stored(ws, "ledger_movements"), key=lambda m: (m["source_row"], m["amount"]))]
    assert got == [
        (1, datetime(2021, 2, 11, 8, 30, tzinfo=UTC), "transfer", "ETH 2.0 Staking", "ETH", D("-1.25"),
         "2021-02-11 08:30:00|ETH 2.0 Staking"),
        (1, datetime(2021, 2, 11, 8, 30, tzinfo=UTC), "transfer", "ETH 2.0 Staking", "BETH", D("1.25"),
         "2021-02-11 08:30:00|ETH 2.0 Staking"),
        # row 2 failed: nothing moved
        (3, datetime(2021, 3, 20, 23, 59, 59, tzinfo=UTC), "transfer", "ETH 2.0 Staking", "ETH", D("-0.00012345"),
         "2021-03-20 23:59:59|ETH 2.0 Staking"),
        (3, datetime(2021, 3, 20, 23, 59, 59, tzinfo=UTC), "transfer", "ETH 2.0 Staking", "BETH", D("0.00012345"),
         "2021-03-20 23:59:59|ETH 2.0 Staking"),
    ]
    assert stored(ws, "trades") == []


def test_eth2_staking_into_another_token_is_refused(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "staking.csv"
    p.write_text("Date(UTC),Coin,Token,Amount,Status\n2021-02-11 08:30:00,ETH,BETH,1.25,Success\n"
                 "2023-05-02 10:00:00,ETH,WBETH,0.5,Success\n")
    with pytest.raises(ValidationError, match="staking.csv, row 2, column 'Token': the token 'WBETH' is not BETH: "
                                              "the file gives one amount"):
        ingest(ws, p, account="b-1")
    assert stored(ws, "ledger_movements") == []


# -- Binance Order History 2020 with fill sub-rows -------------------------------------------------------------

def _order(o: dict[str, object]) -> tuple[object, ...]:
    return (o["source_row"], o["order_id"], o["created_utc"], o["pair"], o["side"], o["order_type"], o["order_price"],
            o["order_quantity"], o["filled_quantity"], o["filled_quote"], o["avg_price"], o["avg_price_text"],
            o["status"])


def _trade(t: dict[str, object]) -> tuple[object, ...]:
    return (t["source_row"], t["time_utc"], t["pair"], t["side"], t["price"], t["quantity"], t["quote_quantity"],
            t["fee"], t["fee_asset"], t["order_id"])


def test_order_history_2020_without_order_id_orders_and_their_fills(ws: Workspace) -> None:
    r = ingest(ws, "binance_order_history_2020_no_order_id.csv", account="b-1")
    assert (r.format, r.parts) == ("binance_order_history_2020",
                                   ("binance_order_history_2020", "binance_order_history_2020_fills"))
    assert r.rows_read == 8  # order rows, sub-headers and fills (CRLF line ends, trailing empty fields)
    assert [_order(o) for o in stored(ws, "orders")] == [
        (1, None, datetime(2020, 4, 2, 9, 14, 27, tzinfo=UTC), "BTC/USDT", "buy", None, D("6610.00"), D("0.03"),
         D("0.03"), D("198.30"), D("6609.995"), "6609.995", "filled"),
        (5, None, datetime(2020, 4, 1, 22, 5, 3, tzinfo=UTC), "ETH/BTC", "sell", None, D("0"), D("1.5"), D("1.5"),
         D("0.031965"), D("0.02131"), "0.02131", "filled"),
        # a cancelled order without fills
        (8, None, datetime(2020, 3, 30, 11, 0, tzinfo=UTC), "BNB/USDT", "buy", None, D("11.2"), D("10"), D("0"),
         D("0"), D("0"), "0.0", "canceled"),
    ]
    # each fill takes the pair and side of the order row above it; the fee is split at its own asset
    assert [_trade(t) for t in stored(ws, "trades")] == [
        (3, datetime(2020, 4, 2, 9, 14, 27, tzinfo=UTC), "BTC/USDT", "buy", D("6609.99"), D("0.012"), D("79.31988"),
         D("0.00591231"), "BNB", None),
        (4, datetime(2020, 4, 2, 9, 14, 29, tzinfo=UTC), "BTC/USDT", "buy", D("6610.00"), D("0.018"), D("118.98"),
         D("0.000018"), "BTC", None),
        (7, datetime(2020, 4, 1, 22, 5, 3, tzinfo=UTC), "ETH/BTC", "sell", D("0.02131"), D("1.5"), D("0.031965"),
         D("0.00003196"), "BTC", None),
    ]


def test_order_history_2020_order_no_and_side_variants(ws: Workspace) -> None:
    ingest(ws, "binance_order_history_2020_order_no.csv", account="b-1")
    ingest(ws, "binance_order_history_2020_side.csv", account="b-1")
    orders = {o["order_id"]: o for o in stored(ws, "orders")}
    assert (orders["8411203396"]["pair"], orders["8411203396"]["side"], orders["8411203396"]["filled_quantity"],
            orders["8411203396"]["filled_quote"]) == ("1INCH/USDT", "sell", D("1200"), D("2520"))
    assert (orders["3300918"]["side"], orders["3300918"]["order_type"]) == ("buy", "limit")
    fills = sorted((_trade(t) for t in stored(ws, "trades")), key=lambda t: (str(t[9]), t[0]))
    assert fills == [
        (3, datetime(2020, 11, 3, 7, 30, tzinfo=UTC), "LINK/BTC", "buy", D("0.0007098"), D("25"), D("0.017745"),
         D("0.025"), "LINK", "3300918"),
        (4, datetime(2020, 11, 3, 7, 31, 12, tzinfo=UTC), "LINK/BTC", "buy", D("0.00071"), D("15"), D("0.01065"),
         D("0.00010122"), "BNB", "3300918"),
        (6, datetime(2020, 7, 14, 18, 45, 50, tzinfo=UTC), "ADA/USDT", "buy", D("0.13"), D("500"), D("65"), D("0.5"),
         "ADA", "8411100072"),
        # a quoted "1,200.00"; the fee 2.52USDT split at the pair's quote (1INCH's digits are not the fee's)
        (3, datetime(2020, 7, 15, 3, 20, 11, tzinfo=UTC), "1INCH/USDT", "sell", D("2.100"), D("1200"), D("2520"),
         D("2.52"), "USDT", "8411203396"),
    ]


@pytest.mark.parametrize(("edit", "message"), [
    # the second fill of the first order is not the one the order shows: the fills no longer add up to Filled
    (lambda ls: ls.__setitem__(4, ls[4].replace("0.018000", "0.017000")),
     "row 1, column 'Filled': the order filled '0.030000' but its 2 fill row[(]s[)] below add up to 0.029,"),
    (lambda ls: ls.__setitem__(4, ls[4].replace("0.000018BTC", "0.000018")),
     "row 4, column 'Fee': the fee '0.000018' is not a number fused to its asset"),
    (lambda ls: ls.insert(1, ",2020-04-02 09:00:00,6600.00,0.01,66.00,0.01BNB,,,"),
     "row 1, column 'Date[(]UTC[)]': the fill row has no order row above it"),
    (lambda ls: ls.insert(3, ",,6600.00,0.01,,,,,"),
     "row 3, column 'Date[(]UTC[)]': the row is neither an order"),
    (lambda ls: ls.__setitem__(5, ls[5].replace("ETHBTC", "ETHXYZ")),
     "row 5, column 'Pair': the pair 'ETHXYZ' does not end with a known quote asset"),
])
def test_order_history_2020_refusals(ws: Workspace, tmp_path: Path, edit: object, message: str) -> None:
    lines = (EXPORTS / "binance_order_history_2020_no_order_id.csv").read_text().splitlines()
    edit(lines)  # type: ignore[operator]
    p = tmp_path / "orders.csv"
    p.write_text("\n".join(lines) + "\n")
    before = table_counts(ws)
    with pytest.raises(ValidationError, match="orders.csv, " + message):
        ingest(ws, p, account="b-1")
    assert table_counts(ws) == before
