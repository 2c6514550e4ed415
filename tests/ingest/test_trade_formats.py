"""Kraken, Coinbase, Coinbase Pro, Bitstamp and Binance card purchases: exact canonical trades."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.workspace import Workspace
from tests.ingest.format_helpers import EXPORTS, D, ingest, stored, table_counts


def _key(r: dict[str, object]) -> tuple[object, ...]:
    return (r["pair"], r["side"], r["price"], r["quantity"], r["quote_quantity"], r["fee"], r["fee_asset"])


def test_kraken_trades_legacy_codes_fused_pairs_fractional_seconds(ws: Workspace) -> None:
    r = ingest(ws, "kraken_trades.csv", account="k-1")
    assert (r.format, r.exchange, r.rows_added) == ("kraken_trades", "kraken", 4)
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("BTC/EUR", "buy", D("32051.28205"), D("0.0312"), D("999.99999"), D("1.59999"), "EUR"),
        ("ETH/USD", "sell", D("2151.84"), D("0.2"), D("430.368"), D("1.11896"), "USD"),
        ("ADA/EUR", "buy", D("1.0001"), D("100"), D("100.01"), D("0.16002"), "EUR"),
        ("BTC/USDT", "sell", D("35000"), D("0.01"), D("350"), D("0.91"), "USDT"),
    ]
    assert t[0]["time_utc"] == datetime(2021, 7, 23, 11, 22, 54, 988100, tzinfo=UTC)
    assert t[3]["time_utc"] == datetime(2021, 7, 26, 0, 0, 0, 100, tzinfo=UTC)
    assert (t[0]["order_id"], t[0]["trade_id"]) == ("OQCLML-BW3P3-BUCMWZ", "TSTVX5-P6HOO-KCWD2A")


def test_coinbasepro_fills_quote_amount_from_signed_total(ws: Workspace) -> None:
    ingest(ws, "coinbasepro_fills.csv", account="cbp")
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("BTC/USD", "buy", D("16842.11"), D("0.012"), D("202.10532"), D("0.80842128"), "USD"),
        ("AKRO/USD", "buy", D("0.004125"), D("15000"), D("61.875"), D("0.309375"), "USD"),
        ("ETH/BTC", "sell", D("0.07155"), D("0.5"), D("0.035775"), D("0.000178875"), "BTC"),
    ]
    assert t[2]["time_utc"] == datetime(2022, 12, 26, 22, 40, 0, 500000, tzinfo=UTC)
    assert [x["trade_id"] for x in t] == ["7720113", "7720114", "7720190"]


def test_coinbase_2024_preamble_symbols_and_advanced_trade_market(ws: Workspace) -> None:
    r = ingest(ws, "coinbase_transactions_2024.csv", account="cb")
    assert r.parts == ("coinbase_transactions", "coinbase_transactions_ledger")
    assert r.rows_read == 6  # the file's data rows (its preamble and header excluded)
    assert r.rows_staged == 3 + 7  # 3 trades; 6 balance changes and the received leg of the Convert
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("BTC/USD", "buy", D("72304.15"), D("0.00137"), D("99.06"), D("1.99"), "USD"),
        ("ETH/USD", "sell", D("3981.50"), D("0.25"), D("995.38"), D("5.97"), "USD"),
        ("ETH/BTC", "buy", D("0.0542"), D("0.5"), D("0.0271"), D("11.85"), "USD"),
    ]
    assert [x["source_row"] for x in t] == [1, 2, 6]
    assert t[0]["time_utc"] == datetime(2024, 3, 13, 9, 41, 27, tzinfo=UTC)
    assert t[0]["trade_id"] == "65f1a0c2d9e8b7a6f5e4d3c2"
    m = stored(ws, "ledger_movements")
    got = [(x["source_row"], x["kind"], x["operation"], x["asset"], x["amount"], x["address"]) for x in m]
    assert got[2] == (3, "withdrawal", "Send", "BTC", D("-0.0005"), "bc1qexampleaddress0000000000000000000000")
    assert sorted(g[1:5] for g in got if g[0] == 5) == [("trade", "Convert", "ETH", D("-0.1")),
                                                        ("trade", "Convert", "USDC", D("345.97"))]
    assert got[1][1:5] == ("trade", "Advanced Trade Sell", "ETH", D("-0.25"))
    assert got[3][1:5] == ("reward", "Staking Income", "SOL", D("0.000418213"))


def test_coinbase_2021_currency_prefixed_header(ws: Workspace) -> None:
    ingest(ws, "coinbase_transactions_2021.csv", account="cb")
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("BTC/EUR", "buy", D("38115.42"), D("0.00251838"), D("95.99"), D("1.49"), "EUR"),
        ("BTC/EUR", "sell", D("38950.00"), D("0.001"), D("38.95"), D("0.58"), "EUR"),
    ]
    assert t[1]["time_utc"] == datetime(2021, 2, 9, 18, 20, 5, tzinfo=UTC)


def test_bitstamp_market_rows_and_ap_style_dates(ws: Workspace) -> None:
    ingest(ws, "bitstamp_transactions.csv", account="bs")
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("ETH/EUR", "sell", D("2475.00"), D("1.25"), D("3093.75"), D("7.73438"), "EUR"),
        ("BTC/EUR", "buy", D("21738.00"), D("0.04"), D("869.52"), D("2.17380"), "EUR"),
    ]
    assert [x["time_utc"] for x in t] == [datetime(2022, 3, 3, 0, 47, tzinfo=UTC),
                                          datetime(2022, 9, 14, 13, 9, tzinfo=UTC)]
    assert [x["source_row"] for x in t] == [2, 3]
    m = stored(ws, "ledger_movements")
    assert sorted((x["source_row"], x["kind"], x["asset"], x["amount"], x["fee"]) for x in m) == [
        (1, "deposit", "ETH", D("3.5"), None),
        (2, "fee", "EUR", D("-7.73438"), None),
        (2, "trade", "ETH", D("-1.25"), None),
        (2, "trade", "EUR", D("3093.75"), None),
        (3, "fee", "EUR", D("-2.17380"), None),
        (3, "trade", "BTC", D("0.04"), None),
        (3, "trade", "EUR", D("-869.52"), None),
        (4, "withdrawal", "EUR", D("-3000.00"), D("2.50")),
    ]
    assert m[-1]["time_utc"] == datetime(2022, 5, 2, 23, 58, tzinfo=UTC)


def test_bitstamp_2025_separate_currency_columns_iso_times_and_order_ids(ws: Workspace) -> None:
    r = ingest(ws, "bitstamp_transactions_2025.csv", account="bs")
    assert (r.format, r.parts) == ("bitstamp_transactions_2025",
                                   ("bitstamp_transactions_2025", "bitstamp_transactions_2025_ledger"))
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("BTC/EUR", "buy", D("96020"), D("0.0145"), D("1392.29"), D("3.48073"), "EUR"),
        ("ETH/BTC", "sell", D("0.031536"), D("0.35"), D("0.0110376"), D("0.0000276"), "BTC"),
    ]
    assert [(x["source_row"], x["time_utc"], x["order_id"], x["trade_id"]) for x in t] == [
        (2, datetime(2025, 2, 3, 9, 30, 5, tzinfo=UTC), "1840557301", "401230057"),
        (3, datetime(2025, 2, 4, 17, 1, 59, tzinfo=UTC), "1840601122", "401230102")]
    m = stored(ws, "ledger_movements")
    assert sorted((x["source_row"], x["kind"], x["asset"], x["amount"], x["fee"], x["ref_id"]) for x in m) == [
        (1, "deposit", "EUR", D("1500.00"), None, "401230001"),
        (2, "fee", "EUR", D("-3.48073"), None, "401230057"),
        (2, "trade", "BTC", D("0.0145"), None, "401230057"),
        (2, "trade", "EUR", D("-1392.29"), None, "401230057"),
        (3, "fee", "BTC", D("-0.0000276"), None, "401230102"),
        (3, "trade", "BTC", D("0.0110376"), None, "401230102"),
        (3, "trade", "ETH", D("-0.35"), None, "401230102"),
        (4, "withdrawal", "BTC", D("-0.01"), D("0.00005"), "401230188"),
    ]
    assert {x["wallet"] for x in m} == {"Main Account"}


def test_bitstamp_2025_rate_in_another_currency_is_refused(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "Transactions.csv"
    lines = (EXPORTS / "bitstamp_transactions_2025.csv").read_text().splitlines()
    p.write_text(lines[0] + "\n" + lines[2].replace("96020,EUR", "96020,USD") + "\n")
    with pytest.raises(ValidationError, match=r"Transactions.csv, row 1, column 'Rate currency': the rate currency "
                                              r"'USD' is not the value currency EUR"):
        ingest(ws, p, account="bs")


def test_binance_card_purchases_completed_only(ws: Workspace) -> None:
    r = ingest(ws, "binance_card_purchases.csv", account="b-1")
    # three data rows; the failed purchase moved nothing and makes no trade
    assert (r.format, r.exchange, r.rows_read, r.rows_staged) == ("binance_card_purchases", "binance", 3, 2)
    t = stored(ws, "trades")
    assert [_key(x) for x in t] == [
        ("USDT/EUR", "buy", D("0.94512876"), D("311.06872676"), D("294.00"), D("6.00"), "EUR"),
        ("ETH/EUR", "buy", D("1141.20551724"), D("0.64406"), D("735.00"), D("15.00"), "EUR"),
    ]
    assert t[0]["trade_id"] == "0000000000000000000000000000d3f1"
    assert t[0]["time_utc"] == datetime(2022, 12, 20, 8, 15, 2, tzinfo=UTC)


@pytest.mark.parametrize(("name", "content", "message"), [
    ("kraken_trades.csv",
     '"txid","ordertxid","pair","time","type","ordertype","price","cost","fee","vol","margin","misc","ledgers"\n'
     '"T1","O1","QQQQ","2021-07-23 11:22:54","buy","limit",1,1,0,1,0,"",""\n',
     "kraken_trades.csv, row 1, column 'pair': the pair 'QQQQ' does not end with a known quote asset"),
    ("fills.csv",
     "portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit\n"
     "default,1,BTC-USD,BUY,2022-12-26T22:31:04.817Z,0.01,BTC,100,0.1,-1.1,USD\n"
     "default,2,BTC-USD,BUY,2022-12-26T22:31:04.817Z,0.01,ETH,100,0.1,-1.1,USD\n",
     "fills.csv, row 2, column 'size unit': the size unit 'ETH' is not the base asset BTC"),
    ("bitstamp.csv",
     'Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type\n'
     'Market,"Smarch 3, 2022, 12:47 AM",Main Account,1 ETH,2 EUR,2 EUR,0 EUR,Sell\n',
     "bitstamp.csv, row 1, column 'Datetime': the time 'Smarch 3, 2022, 12:47 AM' is not a date"),
    ("card.csv",
     "Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID\n"
     "2022-12-20 08:15:02,Debit Card,300.00 EUR,0.9 USDT/EUR,6.00 EUR,311 BTC,Completed,x1\n",
     "card.csv, row 1, column 'Final Amount': the final amount '311 BTC' is not a positive number followed by USDT"),
])
def test_bad_rows_are_refused_with_file_row_column(ws: Workspace, tmp_path: Path, name: str, content: str,
                                                    message: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    before = table_counts(ws)
    with pytest.raises(ValidationError) as exc:
        ingest(ws, path, account="x")
    assert str(exc.value).startswith(message)
    assert table_counts(ws) == before


def test_a_bad_row_in_the_companion_refuses_the_whole_file(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "coinbase.csv"
    p.write_text("Timestamp,Transaction Type,Asset,Quantity Transacted,Spot Price Currency,Spot Price at Transaction,"
                 "Subtotal,Total (inclusive of fees),Fees,Notes\n"
                 "2021-02-08T07:51:33Z,Buy,BTC,0.002,EUR,38115.42,76.23,77.72,1.49,Bought\n"
                 "2021-02-09T07:51:33Z,Send,BTC,lots,EUR,38115.42,0,0,0,Sent\n")
    before = table_counts(ws)
    with pytest.raises(ValidationError) as exc:
        ingest(ws, p, account="cb")
    assert str(exc.value).startswith("coinbase.csv, row 2, column 'Quantity Transacted': the quantity 'lots' "
                                     "is not a number")
    assert table_counts(ws) == before  # the good trade of row 1 was not stored either


def test_kraken_trades_2024_header_with_asset_class_and_position_columns(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "trades.csv"
    p.write_text('"txid","ordertxid","pair","aclass","subclass","time","type","ordertype","price","cost","fee","vol",'
                 '"margin","misc","ledgers","posttxid","posstatuscode","cprice","ccost","cfee","cvol","cmargin","net",'
                 '"trades"\n'
                 '"TAAAAA-BBBBB-CCCCCC","OAAAAA-BBBBB-CCCCCC","XBT/EUR","forex","crypto","2024-05-16 12:57:55.1234",'
                 '"sell","market","61000.1","610.001","1.58600","0.01000000","0.00000","","","","","","","","","","",""\n')
    ingest(ws, p, account="k-2")
    [t] = stored(ws, "trades")
    assert _key(t) == ("BTC/EUR", "sell", D("61000.1"), D("0.01"), D("610.001"), D("1.586"), "EUR")
    assert t["time_utc"] == datetime(2024, 5, 16, 12, 57, 55, 123400, tzinfo=UTC)


def test_rows_read_counts_the_files_data_rows_not_the_rows_made(ws: Workspace) -> None:
    # Bitstamp: 4 data rows make 2 trades and 8 balance changes; the run records the file's 4 rows
    r = ingest(ws, "bitstamp_transactions.csv", account="bs")
    assert (r.rows_read, r.rows_staged, r.rows_added, r.rows_already_known) == (4, 10, 10, 0)
    with ws.db.read() as con:
        assert con.execute("SELECT rows_read, rows_added FROM ingest_runs").fetchall() == [(4, 10)]
    again = ingest(ws, "bitstamp_transactions.csv", account="bs")
    assert (again.rows_read, again.rows_added, again.rows_already_known) == (4, 0, 10)
