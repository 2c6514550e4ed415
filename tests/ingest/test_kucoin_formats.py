"""Every KuCoin format: exact normalised values, zones (none = Asia/Singapore), empty reports."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import pytest

from core.errors import InputError, UsageError, ValidationError
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.ingest.helpers import FIX, snapshot, table


def test_v3_minimal_header_singapore_time(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "kucoin_trade_history_v3_minimal.csv", account="k1")
    assert (res.format, res.exchange, res.rows_added) == ("kucoin_trade_history_v3", "kucoin", 2)
    t = table(ws, "trades")
    assert (t[0]["time_utc"], t[0]["pair"], t[0]["side"], t[0]["price"], t[0]["quantity"], t[0]["quote_quantity"],
            t[0]["fee"], t[0]["fee_asset"]) == (datetime(2022, 5, 3, 1, 12, 44, tzinfo=UTC), "XTZ/USDT", "sell",
                                                 D("1.9824"), D("52.3311"), D("103.74117264"), D("0.10374117264"),
                                                 "USDT")
    assert t[1]["quote_quantity"] == D("191.2735082023827")   # no trailing newline on the last row


def test_v3_trailing_comma_and_identical_fills(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_trade_history_v3_trailing_comma.csv", account="k1")
    t = table(ws, "trades")
    assert [(r["order_id"], r["liquidity"], r["occurrence"]) for r in t] == [
        ("6337b1cfd1f1a00001a2b3c4", "taker", 1), ("6337b1cfd1f1a00001a2b3c4", "taker", 2),
        ("6337b35ad1f1a00001a2b3c9", "maker", 1)]


def test_legacy_2019(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_trade_history_legacy_2019.csv", account="k1")
    t = table(ws, "trades")
    assert (t[1]["time_utc"], t[1]["pair"], t[1]["side"], t[1]["price"], t[1]["quantity"], t[1]["quote_quantity"],
            t[1]["fee"], t[1]["fee_asset"]) == (datetime(2019, 6, 2, 6, 5, 34, tzinfo=UTC), "KCS/BTC", "sell",
                                                 D("0.00017413"), D("12.05"), D("0.00209827"), D("0.00000209"), "BTC")


def test_filled_orders_zone_header_and_twenty_digit_price(ws: Workspace) -> None:
    res = ingest_file(ws, FIX / "kucoin_filled_orders_utc3.csv")
    assert (res.format, res.account, res.kind) == ("kucoin_filled_orders", "31500291", "orders")
    o = table(ws, "orders")
    assert (o[0]["created_utc"], o[0]["updated_utc"], o[0]["pair"], o[0]["side"], o[0]["status"]) == (
        datetime(2024, 2, 5, 7, 12, 30, tzinfo=UTC), datetime(2024, 2, 5, 7, 14, 2, tzinfo=UTC), "DAG/USDT", "sell",
        "part_deal")
    assert o[0]["avg_price_text"] == "0.06201873911002873355"
    assert o[0]["fee"] == D("40.3752212540081") and o[0]["tags"] == "account_type=mainAccount;account_mode=CLASSIC"
    assert o[1]["order_price"] is None and o[1]["order_type"] == "market"


def test_filled_orders_without_zone_are_singapore_time(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_filled_orders_no_zone.csv")
    [o] = table(ws, "orders")
    assert o["created_utc"] == datetime(2024, 2, 6, 0, 0, tzinfo=UTC)


def test_empty_report_is_refused_and_changes_nothing(ws: Workspace) -> None:
    before = snapshot(ws)
    with pytest.raises(InputError, match=r"kucoin_filled_orders_empty\.csv: .*empty report.*No matching records"):
        ingest_file(ws, FIX / "kucoin_filled_orders_empty.csv")
    assert snapshot(ws) == before


def test_order_splitting_fills(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_order_splitting.csv")
    t = table(ws, "trades")
    assert (t[1]["time_utc"], t[1]["account"], t[1]["price"], t[1]["quantity"], t[1]["quote_quantity"],
            t[1]["liquidity"], t[1]["order_id"]) == (datetime(2024, 2, 5, 7, 14, 2, tzinfo=UTC), "31500291",
                                                      D("0.06203"), D("251020.4417"), D("15570.79799865"), "taker",
                                                      "65c0a1b2c3d4e50007a1b2c3")


def test_orders_v3_keep_broker_tags(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_orders_v3.csv", account="k1")
    o = table(ws, "orders")
    assert (o[0]["tags"], o[0]["status"], o[0]["avg_price"], o[0]["filled_quote"]) == (
        "partner:ccxt", "done", D("1208.7"), D("3021.75"))
    assert (o[1]["status"], o[1]["tags"], o[1]["order_price"]) == ("cancel", None, D("17950.5"))


def test_deposits_withdrawals_and_account_history(ws: Workspace) -> None:
    ingest_file(ws, FIX / "kucoin_deposits.csv")
    wd = ingest_file(ws, FIX / "kucoin_withdrawals.csv")
    ingest_file(ws, FIX / "kucoin_account_history.csv")
    m = table(ws, "ledger_movements", "format, source_row")
    by = {(r["format"], r["source_row"]): r for r in m}
    dep = by[("kucoin_deposits", 1)]
    assert (dep["time_utc"], dep["amount"], dep["address"], dep["network"]) == (
        datetime(2024, 1, 30, 1, 0, tzinfo=UTC), D("5000"), "0x1111111111111111111111111111111111111111", "ERC20")
    w = by[("kucoin_withdrawals", 1)]
    assert (w["kind"], w["amount"], w["fee"]) == ("withdrawal", D("-39000"), D("1"))
    # the remark is a spreadsheet formula: stored as inert text and flagged
    assert w["remark"] == '=HYPERLINK("http://evil.example")'
    assert wd.flagged_count == 1 and "formula-like" in wd.flagged[0].reason
    h = by[("kucoin_account_history", 2)]
    assert (h["kind"], h["operation"], h["asset"], h["amount"]) == ("trade", "Spot Trading", "DAG", D("-651020.4417"))


def test_legacy_deposits_and_withdrawals(ws: Workspace) -> None:
    a = ingest_file(ws, FIX / "kucoin_deposits_withdrawals_legacy.csv", account="k1")
    b = ingest_file(ws, FIX / "kucoin_withdrawals_legacy_address.csv", account="k1")
    assert (a.format, b.format) == ("kucoin_transfers_legacy", "kucoin_transfers_legacy")
    m = table(ws, "ledger_movements", "time_utc")
    assert [(r["time_utc"], r["kind"], r["asset"], r["amount"], r["fee"], r["address"]) for r in m] == [
        (datetime(2020, 3, 12, 1, 15, 2, tzinfo=UTC), "deposit", "USDT", D("1200"), D("0"), None),
        (datetime(2020, 3, 13, 10, 40, 55, tzinfo=UTC), "withdrawal", "BTC", D("-0.25"), D("0.0005"), None),
        (datetime(2020, 3, 13, 23, 0, tzinfo=UTC), "withdrawal", "ETH", D("-3.5"), None,
         "0x3333333333333333333333333333333333333333"),
    ]


def test_order_splitting_without_tax_column(ws: Workspace) -> None:
    r = ingest_file(ws, FIX / "kucoin_order_splitting_no_tax.csv")
    assert (r.format, r.account) == ("kucoin_order_splitting", "40771892")
    got = [(t["source_row"], t["time_utc"], t["pair"], t["side"], t["price"], t["quantity"], t["quote_quantity"],
            t["fee"], t["fee_asset"], t["order_id"], t["liquidity"]) for t in table(ws, "trades")]
    assert got == [
        (1, datetime(2024, 3, 11, 12, 7, 52, tzinfo=UTC), "XRP/USDT", "buy", D("0.61275"), D("8150.2"),
         D("4994.03505"), D("4.99403505"), "USDT", None, "taker"),
        (2, datetime(2024, 3, 12, 7, 30, tzinfo=UTC), "ATOM/USDT", "sell", D("10.4312"), D("95.5"), D("996.1796"),
         D("0.9961796"), "USDT", None, "taker"),
    ]


def test_bundle_deposits_and_withdrawals_with_reordered_columns(ws: Workspace) -> None:
    d = ingest_file(ws, FIX / "kucoin_deposits_bundle.csv")
    w = ingest_file(ws, FIX / "kucoin_withdrawals_bundle.csv")
    assert (d.format, w.format, d.account) == ("kucoin_deposits_bundle", "kucoin_withdrawals_bundle", "40771892")
    got = [(m["format"], m["time_utc"], m["kind"], m["asset"], m["amount"], m["fee"], m["status"], m["network"],
            m["address"]) for m in table(ws, "ledger_movements", "format")]
    assert got == [
        ("kucoin_deposits_bundle", datetime(2024, 3, 10, 6, 0, 12, tzinfo=UTC), "deposit", "USDT", D("6000"), D("0"),
         "SUCCESS", "TRC20", None),
        ("kucoin_withdrawals_bundle", datetime(2024, 3, 12, 10, 2, 45, tzinfo=UTC), "withdrawal", "XRP", D("-8100"),
         D("0.02"), "SUCCESS", "XRP", "rN7n3473SaZBCG4dFL83w7a1RXtXtbk2D9"),
    ]


def test_convert_with_and_without_tax_exact_price_only_successful(ws: Workspace) -> None:
    r = ingest_file(ws, FIX / "kucoin_convert.csv", account="40771892")
    assert (r.format, r.account) == ("kucoin_convert", "40771892")
    ingest_file(ws, FIX / "kucoin_convert_tax.csv")
    got = [(t["source_row"], t["format"], t["time_utc"], t["pair"], t["side"], t["price"], t["quantity"],
            t["quote_quantity"], t["fee"], t["account"]) for t in table(ws, "trades", "time_utc")]
    assert got == [
        # sold KAS for DOGE at the file's own "1 KAS=1.5253602011423717 DOGE" (16 decimals kept); row 2 failed
        (1, "kucoin_convert", datetime(2024, 3, 12, 19, 15, 3, tzinfo=UTC), "KAS/DOGE", "sell",
         D("1.5253602011423717"), D("5120.75"), D("7811.2408"), None, "40771892"),
        (1, "kucoin_convert", datetime(2024, 3, 14, 3, 44, 10, tzinfo=UTC), "ETH/USDT", "sell", D("3406.64"),
         D("0.25"), D("851.66"), None, "40771892"),
    ]


def test_masked_uid_is_not_an_account_and_must_match_the_given_one(ws: Workspace, tmp_path: Path) -> None:
    # KuCoin masks the UID in some exports (*****3866): it must not become the account, and --account must
    # show the same visible digits
    p = tmp_path / "kucoin_order_splitting_masked.csv"
    text = (FIX / "kucoin_order_splitting_no_tax.csv").read_text().replace("40771892,", "*****3866,")
    p.write_text(text)
    before = snapshot(ws)
    with pytest.raises(UsageError, match=r"kucoin_order_splitting_masked.csv shows the account only masked "
                                         r"\(\*\*\*\*\*3866\); give the full UID with --account"):
        ingest_file(ws, p)
    with pytest.raises(UsageError, match=r"shows the masked account \*\*\*\*\*3866, which does not match "
                                         r"--account 40771892"):
        ingest_file(ws, p, account="40771892")
    assert snapshot(ws) == before
    r = ingest_file(ws, p, account="80213866")
    assert (r.account, r.rows_added) == ("80213866", 2)
    assert {t["account"] for t in table(ws, "trades")} == {"80213866"}
    # the real UID's own export is then the same account, not refused
    q = tmp_path / "kucoin_order_splitting_real.csv"
    q.write_text((FIX / "kucoin_order_splitting_no_tax.csv").read_text().replace("40771892,", "80213866,"))
    assert ingest_file(ws, q).account == "80213866"
    with ws.db.read() as con:
        assert con.execute("SELECT account FROM accounts WHERE exchange = 'kucoin' ORDER BY 1").fetchall() == [
            ("80213866",)]


def test_trade_histories_before_2020_oid_and_uid_layouts(ws: Workspace) -> None:
    a = ingest_file(ws, FIX / "kucoin_trade_history_2018_oid.csv", account="k1")
    b = ingest_file(ws, FIX / "kucoin_trade_history_2018_uid.csv", account="k1")
    assert (a.format, a.rows_added, b.format, b.rows_added) == (
        "kucoin_trade_history_2018_oid", 3, "kucoin_trade_history_2018_uid", 2)
    got = [(t["format"], t["source_row"], t["occurrence"], t["time_utc"], t["pair"], t["side"], t["price"],
            t["quantity"], t["quote_quantity"], t["fee"], t["fee_asset"], t["order_id"])
           for t in table(ws, "trades", "time_utc, source_row")]
    assert got == [
        # 2018/11/02 18:44:09 in Singapore is 10:44:09 UTC; the uid is not an order id
        ("kucoin_trade_history_2018_uid", 1, 1, datetime(2018, 11, 2, 10, 44, 9, tzinfo=UTC), "NEO/BTC", "buy",
         D("0.002314"), D("12.5"), D("0.028925"), D("0.00002892"), "BTC", None),
        ("kucoin_trade_history_2018_uid", 2, 1, datetime(2018, 11, 2, 23, 0, tzinfo=UTC), "NEO/BTC", "sell",
         D("0.002401"), D("4"), D("0.009604"), D("0.0000096"), "BTC", None),
        # just after midnight in Singapore is the day before in UTC; lower-case direction
        ("kucoin_trade_history_2018_oid", 3, 1, datetime(2019, 3, 4, 16, 10, 44, tzinfo=UTC), "ETH/USDT", "buy",
         D("136.52"), D("5"), D("682.6"), D("0.6826"), "USDT", "5c7e00aa58c4d20009f8e7d6"),
        # two identical fills in one second (the trailing empty column is no field) stay two
        ("kucoin_trade_history_2018_oid", 1, 1, datetime(2019, 3, 14, 1, 21, 5, tzinfo=UTC), "KCS/BTC", "sell",
         D("0.0002187"), D("25"), D("0.0054675"), D("0.00000546"), "BTC", "5c8a1f02e9b2c1000a1b2c3d"),
        ("kucoin_trade_history_2018_oid", 2, 2, datetime(2019, 3, 14, 1, 21, 5, tzinfo=UTC), "KCS/BTC", "sell",
         D("0.0002187"), D("25"), D("0.0054675"), D("0.00000546"), "BTC", "5c8a1f02e9b2c1000a1b2c3d"),
    ]


def test_trade_history_without_fee_and_bad_rows_named_by_the_files_columns(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "kucoin_old.csv"
    p.write_text("uid,symbol,direction,deal_price,amount,deal_value,created_at\n"
                 "88,LTC-BTC,SELL,0.0082,3,0.0246,2018-06-01 12:00:00\n"
                 "88,LTCBTC,SELL,0.0082,3,0.0246,2018-06-01 12:00:01\n")
    with pytest.raises(ValidationError, match=r"kucoin_old.csv, row 2, column 'symbol': the symbol 'LTCBTC' is not "
                                              r"BASE-QUOTE"):
        ingest_file(ws, p, account="k1")
    p.write_text(p.read_text().replace("LTCBTC", "LTC-BTC").replace(",3,0.0246,2018-06-01 12:00:01",
                                                                    ",x3,0.0246,2018-06-01 12:00:01"))
    with pytest.raises(ValidationError, match=r"row 2, column 'amount': the amount 'x3' is not a number"):
        ingest_file(ws, p, account="k1")
    p.write_text(p.read_text().replace("x3", "3"))
    assert ingest_file(ws, p, account="k1").format == "kucoin_trade_history_2018_uid_no_fee"
    assert [(t["fee"], t["fee_asset"], t["quote_quantity"]) for t in table(ws, "trades")] == [
        (None, None, D("0.0246"))] * 2


SHORT_DEPOSITS = ("UID,Account Type,Time(UTC+08:00),Coin,Amount,Fee,Transfer Network,Status,Remarks\n"
                  "40771892,mainAccount,2024-03-10 14:00:12,USDT,6000,0,TRC20,SUCCESS,\n"
                  "40771892,mainAccount,2024-03-11 08:30:00,XRP,120.5,0.25,XRP,SUCCESS,Deposit\n")


def test_deposits_without_hash_are_known_by_their_header_whatever_the_file_name(ws: Workspace, tmp_path: Path) -> None:
    # the header without Hash and Deposit Address is a deposit list: a file called export.csv is read exactly
    # like the same file named for deposits
    named = tmp_path / "kucoin_deposit_history.csv"
    plain = tmp_path / "export.csv"
    named.write_text(SHORT_DEPOSITS)
    plain.write_text(SHORT_DEPOSITS)
    a = ingest_file(ws, plain)
    assert (a.format, a.account, a.rows_added) == ("kucoin_deposits_short", "40771892", 2)
    b = ingest_file(ws, named)
    assert (b.format, b.rows_added) == ("kucoin_deposits_short", 0)   # the same rows: nothing new
    got = [(m["time_utc"], m["kind"], m["asset"], m["amount"], m["fee"], m["network"])
           for m in table(ws, "ledger_movements", "time_utc")]
    assert got == [(datetime(2024, 3, 10, 6, 0, 12, tzinfo=UTC), "deposit", "USDT", D("6000"), D("0"), "TRC20"),
                   (datetime(2024, 3, 11, 0, 30, tzinfo=UTC), "deposit", "XRP", D("120.5"), D("0.25"), "XRP")]
    # a file named for withdrawals keeps being read as withdrawals
    w = tmp_path / "kucoin_withdrawal_history.csv"
    w.write_text(SHORT_DEPOSITS.replace("2024-03-1", "2024-04-1"))
    assert ingest_file(ws, w).format == "kucoin_withdrawals_short"
