"""FTX deposits/withdrawals, Kraken ledgers, Coinbase Pro statements and OKX bills as ledger movements."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from core.errors import ValidationError
from core.workspace import Workspace
from tests.ingest.format_helpers import EXPORTS, D, ingest, stored, table_counts


def _m(r: dict[str, object]) -> tuple[object, ...]:
    return (r["kind"], r["operation"], r["asset"], r["amount"], r["fee"], r["ref_id"])


def test_ftx_deposits_keep_status_and_tx(ws: Workspace) -> None:
    r = ingest(ws, "ftx_deposits.csv", account="ftx-1")
    assert (r.format, r.kind, r.rows_added) == ("ftx_deposits", "ledger_movements", 3)
    m = stored(ws, "ledger_movements")
    assert [(x["asset"], x["amount"], x["status"]) for x in m] == [
        ("USDC", D("25000.0"), "complete"), ("BTC", D("0.75"), "confirmed"), ("ETH", D("2.0"), "cancelled")]
    assert m[0]["tx_hash"] == "0x3f0c1b2a9e8d7c6b5a4f3e2d1c0b9a8f7e6d5c4b3a291817161514131211100f"
    assert m[1]["time_utc"] == datetime(2022, 10, 19, 9, 11, 3, 500000, tzinfo=UTC)
    assert (m[2]["remark"], m[2]["ref_id"], m[2]["tx_hash"]) == ("Address not whitelisted", "71150333", None)


def test_ftx_withdrawals_both_spellings(ws: Workspace) -> None:
    ingest(ws, "ftx_withdrawals.csv", account="ftx-1")
    ingest(ws, "ftx_withdrawals_api.csv", account="ftx-1")
    m = stored(ws, "ledger_movements")
    got = sorted((x["time_utc"], x["asset"], x["amount"], x["fee"], x["status"], x["address"]) for x in m)
    assert got == [
        (datetime(2021, 6, 1, 12, 0, 0, 250000, tzinfo=UTC), "ETH", D("-0.5"), D("0.0012"), "complete",
         "0x00000000219ab540356cbb839cbe05303d7705fa"),
        (datetime(2022, 10, 21, 1, 22, 19, 4511, tzinfo=UTC), "USDT", D("-4990.0"), D("10.0"), "complete",
         "0x9b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0b"),
        (datetime(2022, 10, 21, 1, 30, tzinfo=UTC), "BTC", D("-0.1"), D("0"), "requested",
         "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh"),
    ]


def test_kraken_ledgers_normalise_codes_and_link_legs(ws: Workspace) -> None:
    ingest(ws, "kraken_ledgers.csv", account="k-1")
    m = stored(ws, "ledger_movements")
    assert [_m(x) for x in m] == [
        ("deposit", "deposit", "EUR", D("1500"), D("0"), "QCC3MNN-VX5MNK-EXA2PB"),
        ("trade", "trade", "EUR", D("-999.9999"), D("1.5999"), "TSTVX5-P6HOO-KCWD2A"),
        ("trade", "trade", "BTC", D("0.0312"), D("0"), "TSTVX5-P6HOO-KCWD2A"),
        ("withdrawal", "withdrawal", "ETH", D("-0.5"), D("0.0035"), "AGBRB7Z-JY7JWX-STJUEK"),
        ("reward", "staking", "DOT.S", D("0.0123456789"), D("0"), "STKXQZE-2U3AB-1C4DE5"),
    ]
    assert m[1]["time_utc"] == datetime(2021, 7, 23, 11, 22, 54, 988100, tzinfo=UTC)


def test_coinbasepro_statement_match_and_fee_rows(ws: Workspace) -> None:
    r = ingest(ws, "coinbasepro_account_statement.csv", account="cbp")
    assert r.rows_added == 11
    m = stored(ws, "ledger_movements")
    assert [_m(x) for x in m[1:4]] == [
        ("trade", "match", "ETH", D("31.2"), None, "48213"),
        ("trade", "match", "BTC", D("-1.07016"), None, "48213"),
        ("fee", "fee", "BTC", D("-0.00321048"), None, "48213"),
    ]
    assert m[3]["remark"] == "order 7a6b5c4d-3e2f-1a0b-9c8d-7e6f5a4b3c2d"
    assert m[0]["time_utc"] == datetime(2019, 2, 11, 8, 14, 5, 117000, tzinfo=UTC)
    # two fills of one order in the same millisecond stay distinct (different trade ids)
    assert [x["ref_id"] for x in m[5:]] == ["512990"] * 3 + ["512991"] * 3


def test_okx_bills_duplicate_unit_header_and_bom(ws: Workspace) -> None:
    r = ingest(ws, "okx_trades.csv", account="okx-1")
    assert r.format == "okx_trades"
    m = stored(ws, "ledger_movements")
    assert [_m(x) for x in m] == [
        ("trade", "Spot Buy", "MIR", D("420.5"), D("0.4205"), "551200330001"),  # balance change 420.0795
        ("trade", "Spot Sell", "USDT", D("-99.8127"), D("0"), "551200330001"),
        ("transfer", "Transfer Transfer in", "USDT", D("50"), D("0"), "551200339999"),
    ]
    assert m[0]["remark"] == "MIR-USDT order 551200330000"


def test_okx_funding_and_2019_statement_in_china_standard_time(ws: Workspace) -> None:
    ingest(ws, "okx_funding.csv", account="okx-1")
    ingest(ws, "okx_statement_2019.csv", account="okx-1")
    m = stored(ws, "ledger_movements", "format = 'okx_funding'")
    assert [_m(x) for x in m] == [("deposit", "Deposit", "USDT", D("1000"), D("0"), "9001"),
                                  ("withdrawal", "Withdrawal", "USDT", D("-250.5"), D("0.8"), "9002")]
    old = stored(ws, "ledger_movements", "format = 'okx_statement_2019'")
    assert [(x["time_utc"], x["asset"], x["amount"]) for x in old] == [
        (datetime(2019, 6, 15, 12, 0, tzinfo=UTC), "ETH", D("0.5")),   # 20:00 CST (UTC+8)
        (datetime(2019, 6, 15, 12, 0, tzinfo=UTC), "USDT", D("-130.25"))]


def test_ledger_reingest_is_a_no_op(ws: Workspace) -> None:
    ingest(ws, "kraken_ledgers.csv", account="k-1")
    before = stored(ws, "ledger_movements")
    assert ingest(ws, "kraken_ledgers.csv", account="k-1").rows_added == 0
    assert stored(ws, "ledger_movements") == before


def test_okx_2019_bad_time_is_refused(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "okx.csv"
    p.write_text("time,type,size,balance,fee,currency\n2019-06-15 20:00:00 CST,buy,0.5,0.5,0,ETH\n"
                 "2019-06-15 25:00:00 CST,sell,-1,1,0,USDT\n")
    before = table_counts(ws)
    with pytest.raises(ValidationError) as exc:
        ingest(ws, p, account="o")
    assert str(exc.value).startswith(
        "okx.csv, row 2, column 'time': the time '2019-06-15 25:00:00 CST' is not of the form")
    assert table_counts(ws) == before


def test_okx_funding_as_xlsx(ws: Workspace, tmp_path: Path) -> None:
    import csv

    from openpyxl import Workbook

    from tests.ingest.format_helpers import EXPORTS

    book = Workbook()
    sheet = book.active
    assert sheet is not None
    with (EXPORTS / "okx_funding.csv").open(encoding="utf-8-sig") as fh:
        for row in csv.reader(fh):
            sheet.append(row)
    path = tmp_path / "okx_funding.xlsx"
    book.save(path)
    r = ingest(ws, path, account="okx-1")
    assert (r.format, r.rows_added) == ("okx_funding", 2)
    assert [(x["amount"], x["fee"]) for x in stored(ws, "ledger_movements")] == [(D("1000"), D("0")),
                                                                                 (D("-250.5"), D("0.8"))]


def _t(x: dict[str, object]) -> tuple[object, ...]:
    return (x["source_row"], x["time_utc"], x["base_asset"], x["quote_asset"], x["side"], x["price"], x["quantity"],
            x["quote_quantity"], x["fee"], x["fee_asset"], x["order_id"], x["trade_id"])


def test_okx_trade_history_2025_preamble_bom_on_every_field_and_paired_legs(ws: Workspace) -> None:
    # the preamble names the UID (the account) and the zone (UTC+8); each fill is a base leg and a quote leg
    r = ingest(ws, "okx_trade_history_2025.csv")
    assert (r.format, r.account, r.parts) == ("okx_trade_history", "7301184400912",
                                             ("okx_trade_history", "okx_trade_history_ledger"))
    assert [_t(x) for x in stored(ws, "trades")] == [
        (2, datetime(2025, 3, 5, 10, 30, 12, tzinfo=UTC), "SOL", "USDT", "sell", D("162.4875"), D("5"),
         D("812.4375"), D("0.8124375"), "USDT", "3100000000000000040", "3100000000000000041"),
        # two fills of one order at one price and second: paired in id order (22 with 23, 24 with 25)
        (4, datetime(2025, 3, 4, 2, 15, tzinfo=UTC), "BTC", "USDT", "buy", D("87300"), D("0.002"), D("174.6"),
         D("0.000002"), "BTC", "3100000000000000020", "3100000000000000024"),
        (6, datetime(2025, 3, 4, 2, 15, tzinfo=UTC), "BTC", "USDT", "buy", D("87300"), D("0.015"), D("1309.5"),
         D("0.000015"), "BTC", "3100000000000000020", "3100000000000000022"),
    ]
    m = stored(ws, "ledger_movements")
    assert len(m) == 7
    assert [_m(x) for x in (m[0], m[1], m[6])] == [
        ("trade", "Spot Buy", "USDT", D("811.6250625"), D("0.8124375"), "3100000000000000042"),
        ("trade", "Spot Sell", "SOL", D("-5"), D("0"), "3100000000000000041"),
        ("transfer", "Transfer Transfer in", "USDT", D("2500"), D("0"), "3100000000000000010"),
    ]
    assert (m[6]["time_utc"], m[6]["account"], m[0]["remark"]) == (
        datetime(2025, 3, 4, 1, 0, tzinfo=UTC), "7301184400912", "SOL-USDT order 3100000000000000040")


def test_okx_trade_history_2023_extra_unit_columns_and_exponent_zeros(ws: Workspace) -> None:
    r = ingest(ws, "okx_trade_history_2023.csv", account="okx-1")
    assert (r.format, r.account) == ("okx_trade_history", "okx-1")
    [t] = stored(ws, "trades")
    assert _t(t) == (2, datetime(2023, 11, 19, 21, 40, 33, tzinfo=UTC), "ETH", "USDT", "sell", D("2010.4"),
                     D("0.125"), D("251.3"), D("0.2513"), "USDT", "612000000000000097", "612000000000000098")
    m = stored(ws, "ledger_movements")
    assert [_m(x) for x in m] == [
        ("transfer", "Transfer Transfer out", "USDT", D("-250"), D("0"), "612000000000000101"),
        ("trade", "Spot Sell", "ETH", D("-0.125"), D("0"), "612000000000000098"),
        ("trade", "Spot Buy", "USDT", D("251.0487"), D("0.2513"), "612000000000000099"),
    ]


def test_okx_trade_history_leg_without_its_partner_is_refused(ws: Workspace, tmp_path: Path) -> None:
    lines = (EXPORTS / "okx_trade_history_2023.csv").read_text().splitlines()
    p = tmp_path / "okx_cut.csv"
    p.write_text("\n".join(lines[:3]) + "\n")  # the quote leg of the fill is missing
    with pytest.raises(ValidationError, match=r"okx_cut.csv, row 2, column 'id': this 'ETH' leg of order "
                                              r"612000000000000097 has no matching leg in the quote asset"):
        ingest(ws, p, account="okx-1")


def test_okx_funding_2025_without_fee_column_and_preamble_zone(ws: Workspace) -> None:
    r = ingest(ws, "okx_funding_2025.csv")
    assert (r.format, r.account, r.rows_added) == ("okx_funding", "7301184400912", 2)
    m = stored(ws, "ledger_movements")
    assert [(_m(x), x["time_utc"]) for x in m] == [
        (("withdrawal", "Withdrawal", "ETH", D("-0.02"), None, "10500000002"), datetime(2025, 6, 2, 12, 5, 9, tzinfo=UTC)),
        (("deposit", "Deposit", "ETH", D("0.02"), None, "10500000001"), datetime(2025, 6, 1, 7, 0, tzinfo=UTC)),
    ]
