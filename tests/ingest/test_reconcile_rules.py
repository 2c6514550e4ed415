"""The reconciliation rules on real-shaped exports: ids deduplicate, orders are matched to their fills by
order id (across seconds), disagreements are stored and never merged, unreadable legs are named."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

from core.workspace import Workspace
from ingest.api import ingest_file
from tests.ingest.helpers import FIX

ORDER = "65c0a1b2c3d4e50007a1b2c3"


def _q(ws: Workspace, sql: str) -> list[tuple[object, ...]]:
    with ws.db.read() as con:
        return con.execute(sql).fetchall()


def test_a_kucoin_fill_repeated_under_one_trade_id_is_one_fill(ws: Workspace, tmp_path: Path) -> None:
    doc = json.loads((FIX / "kucoin_api_fills_item_2019.json").read_text())
    items = doc["data"]["items"]
    items.append(dict(items[0]))  # the same fill again, as a second copy of the API response carries it
    doc["data"]["totalNum"] = len(items)
    path = tmp_path / "fills.json"
    path.write_text(json.dumps(doc))
    ingest_file(ws, path, account="ku1")
    assert _q(ws, "SELECT count(*) FROM trades") == [(3,)]  # the evidence keeps every row it was given
    assert _q(ws, "SELECT count(*), sum(source_count) FROM executions") == [(2, 3)]
    assert _q(ws, "SELECT role, matched_by, src_row FROM execution_sources WHERE role = 'duplicate'") == [
        ("duplicate", "trade_id", 3)]


def test_an_order_and_its_fills_in_two_seconds_count_once_and_their_difference_is_stored(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_filled_orders_utc3.csv")
    assert _q(ws, "SELECT derived_from, count(*) FROM executions GROUP BY ALL ORDER BY 1") == [("order", 2)]
    ingest_file(ws, FIX / "kucoin_order_splitting.csv")  # the fills of the DAG order, 52 s apart
    got = _q(ws, "SELECT derived_from, pair, quantity, corroborated_by FROM executions ORDER BY time_utc")
    assert got == [("fill", "DAG/USDT", Decimal("400000"), "order"),
                   ("fill", "DAG/USDT", Decimal("251020.4417"), "order"),
                   ("order", "BTC/USDT", Decimal("0.01"), None)]
    conflicts = _q(ws, "SELECT conflict, kept_from, kept_value, other_from, other_value, other_rows, detail "
                       "FROM execution_conflicts ORDER BY conflict")
    assert [c[:6] for c in conflicts] == [
        ("fee", "fill", "40.37079799865 USDT", "order", "40.3752212540081 USDT", "1"),
        ("quote_quantity", "fill", "40370.79799865 USDT", "order", "40375.2212540081 USDT", "1")]
    assert conflicts[1][6] == (f"the filled orders of order {ORDER} record a quote quantity of 40375.2212540081 "
                               "USDT, the fills 40370.79799865 USDT; the fills are kept as the executions")


def test_statement_legs_that_cannot_be_paired_are_named_not_guessed(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "statement.csv"
    path.write_text("User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n"
                    "501,2022-12-25 22:30:00,Spot,Transaction Buy,AKRO,1000,\n"
                    "501,2022-12-25 22:30:00,Spot,Transaction Buy,MIR,20,\n"
                    "501,2022-12-25 22:30:00,Spot,Transaction Spend,USDT,-35,\n"
                    "501,2022-12-25 22:31:00,Spot,Transaction Buy,AKRO,500,\n"
                    "501,2022-12-25 22:31:00,Spot,Transaction Spend,USDT,-5,\n"
                    "501,2022-12-25 22:31:00,Spot,Transaction Fee,AKRO,-0.5,\n")
    ingest_file(ws, path)
    assert _q(ws, "SELECT pair, side, price, quantity, quote_quantity, fee, fee_asset, source_count FROM executions") \
        == [("AKRO/USDT", "buy", Decimal("0.01"), Decimal("500"), Decimal("5"), Decimal("0.5"), "AKRO", 3)]
    [(kind, rows, detail)] = _q(ws, "SELECT conflict, other_rows, detail FROM execution_conflicts")
    assert (kind, rows) == ("legs_unpaired", "1;2;3")
    assert detail == ("the statement legs at 2022-12-25 22:30:00 UTC (3 assets) cannot be read as trades: its legs "
                      "cannot be paired into one trade of one base asset per side")


def test_a_price_derived_from_legs_is_exact_to_18_places(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "statement.csv"
    path.write_text("User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n"
                    "502,2023-01-02 10:00:00,Spot,Sell,ETH,-3,\n"
                    "502,2023-01-02 10:00:00,Spot,Sell,BTC,0.1,\n"
                    "502,2023-01-02 11:00:00,Spot,Buy,SHIB,100000000000.5,\n"
                    "502,2023-01-02 11:00:00,Spot,Buy,USDT,-1,\n"
                    "502,2023-01-02 12:00:00,Spot,Buy,PEPE,3000000000000000.7,\n"
                    "502,2023-01-02 12:00:00,Spot,Buy,USDT,-7,\n"
                    "502,2023-01-02 13:00:00,Spot,Buy,PEPE,100000000000000000,\n"
                    "502,2023-01-02 13:00:00,Spot,Buy,USDT,-1,\n")
    ingest_file(ws, path)
    assert _q(ws, "SELECT pair, side, price FROM executions ORDER BY time_utc") == [
        ("ETH/BTC", "sell", Decimal("0.033333333333333333")),  # 0.1 / 3, truncated, never a float
        ("SHIB/USDT", "buy", Decimal("0.000000000009999999")),  # 1 / 100000000000.5: a divisor past 1e29 units
        ("PEPE/USDT", "buy", Decimal("0.000000000000002333"))]  # 7 / 3000000000000000.7, six 3-digit steps
    [(kind, value)] = _q(ws, "SELECT conflict, other_value FROM execution_conflicts")
    assert kind == "price_not_derivable"  # a base of 1e17 units or more: no exact price, not counted
    assert value == "1 USDT for 100000000000000000 PEPE"


def test_a_statement_second_with_several_fills_is_one_execution_that_the_fills_then_stand_for(
        ws: Workspace, tmp_path: Path) -> None:
    statement = tmp_path / "statement.csv"
    statement.write_text("User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Buy,AKRO,1000,\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Fee,AKRO,-1,\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Buy,AKRO,3000,\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Spend,USDT,-9,\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Spend,USDT,-30,\n"
                         "503,2022-12-25 22:40:00,Spot,Transaction Fee,AKRO,-3,\n")
    ingest_file(ws, statement)
    assert _q(ws, "SELECT derived_from, price, quantity, quote_quantity, fee, fee_asset, source_count "
                  "FROM executions") == [("ledger", Decimal("0.00975"), Decimal("4000"), Decimal("39"),
                                          Decimal("4"), "AKRO", 6)]
    history = tmp_path / "history.csv"
    history.write_text("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
                       "2022-12-25 22:40:00,AKROUSDT,BUY,0.01,3000AKRO,30USDT,3AKRO\n"
                       "2022-12-25 22:40:00,AKROUSDT,BUY,0.009,1000AKRO,9USDT,1AKRO\n")
    ingest_file(ws, history, account="503")
    assert _q(ws, "SELECT derived_from, quantity, corroborated_by FROM executions ORDER BY quantity") == [
        ("fill", Decimal("1000"), "ledger"), ("fill", Decimal("3000"), "ledger")]
    assert _q(ws, "SELECT count(*) FROM execution_conflicts") == [(0,)]
    assert _q(ws, "SELECT count(*) FROM execution_sources WHERE role = 'corroborating'") == [(6,)]


KRAKEN = ('"txid","refid","time","type","subtype","aclass","asset","amount","fee","balance"\n'
          '"L1AAAA-AAAAA-AAAAAA","D1","2022-12-20 09:00:00","deposit","","currency","ZUSD",1000.0000,0.0000,1000.0000\n'
          '"","T1","2022-12-25 22:30:00","trade","","currency","ZUSD",-500.0000,0.8000,""\n'
          '"L2AAAA-AAAAA-AAAAAA","T1","2022-12-25 22:30:00","trade","","currency","ZUSD",-500.0000,0.8000,499.2000\n'
          '"L3AAAA-AAAAA-AAAAAA","T1","2022-12-25 22:30:00","trade","","currency","XXBT",0.0300000000,0.0000000000,'
          '0.0300000000\n')


def test_kraken_pending_duplicates_are_not_movements_and_fees_count(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "ledgers.csv"
    path.write_text(KRAKEN)
    ingest_file(ws, path, account="kr1")
    assert _q(ws, "SELECT source_row, asset, amount, fee FROM ledger_movements ORDER BY source_row") == [
        (1, "USD", Decimal("1000"), Decimal("0")), (3, "USD", Decimal("-500"), Decimal("0.8")),
        (4, "BTC", Decimal("0.03"), Decimal("0"))]
    assert _q(ws, "SELECT pair, side, quantity, quote_quantity, fee, fee_asset FROM executions") == [
        ("BTC/USD", "buy", Decimal("0.03"), Decimal("500"), Decimal("0.8"), "USD")]


def test_a_kraken_balance_that_does_not_follow_is_refused_naming_the_row(ws: Workspace, tmp_path: Path) -> None:
    import pytest

    from core.errors import ValidationError

    path = tmp_path / "ledgers.csv"
    path.write_text(KRAKEN.replace("0.8000,499.2000", "0.8000,500.0000"))  # the fee left out of the balance
    with pytest.raises(ValidationError) as info:
        ingest_file(ws, path, account="kr1")
    assert str(info.value).startswith(
        "ledgers.csv, row 3, column 'balance': the balance 500 does not follow from the previous balance 1000 + "
        "amount -500 - fee 0.8 = 499.2")
    assert _q(ws, "SELECT count(*) FROM ledger_movements") == [(0,)]


def test_the_2024_statement_header_is_read_like_the_older_ones(ws: Workspace, tmp_path: Path) -> None:
    path = tmp_path / "statement-2024.csv"
    path.write_text("User ID,Time,Account,Operation,Coin,Change,Remark\n"
                    "504,2024-06-21 14:03:17,Spot,Transaction Spend,USDT,-50,\n"
                    "504,2024-06-21 14:03:17,Spot,Transaction Buy,HIGH,20,\n"
                    "504,2024-06-21 14:03:17,Spot,Transaction Fee,HIGH,-0.02,\n")
    result = ingest_file(ws, path)
    assert (result.format, result.account) == ("binance_transaction_statement_2024", "504")
    assert _q(ws, "SELECT pair, side, price, quantity, fee, fee_asset FROM executions") == [
        ("HIGH/USDT", "buy", Decimal("2.5"), Decimal("20"), Decimal("0.02"), "HIGH")]
    assert _q(ws, "SELECT evidence_kind FROM ingest_runs") == [("statement",)]


def test_a_coinbase_convert_row_holding_both_legs_is_one_execution(ws: Workspace) -> None:
    ingest_file(ws, FIX / "coinbase_transactions_2024.csv", account="cb1")
    assert _q(ws, "SELECT derived_from, pair, side, quantity, quote_quantity, source_count FROM executions "
                  "WHERE derived_from = 'ledger'") == [("ledger", "ETH/USDC", "sell", Decimal("0.1"),
                                                       Decimal("345.97"), 2)]
    assert _q(ws, "SELECT derived_from, count(*) FROM executions GROUP BY ALL ORDER BY 1") == [("fill", 3),
                                                                                             ("ledger", 1)]
