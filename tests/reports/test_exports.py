"""CSV safety, STIX 2.1, MISP and IC3 exports, and the bundle's manifest."""

from __future__ import annotations

import csv
import io
import json
import zipfile
from datetime import UTC, datetime
from decimal import Decimal

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string

from core import formatting
from queries.records import (
    AttackerAddress,
    Campaign,
    CashOutPoint,
    LedgerTransfer,
    TraceEdge,
    UnauthorizedTrade,
)
from reports import exports, sharing

T0 = datetime(2022, 12, 10, 3, 0, tzinfo=UTC)


@pytest.mark.parametrize("cell", ["=1+1", "+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A2)", "\t=x", "\r=x",
                                  "=HYPERLINK(\"http://x\")"])
def test_formula_cells_are_neutralised(cell: str) -> None:
    data = formatting.csv_bytes(["col", cell], [[cell, "ok"]])
    rows = list(csv.reader(io.StringIO(data.decode("utf-8"))))
    assert rows[0][1] == "'" + cell
    assert rows[1][0] == "'" + cell
    assert rows[1][1] == "ok"


@pytest.mark.parametrize("number", ["-12.5", "-3", "0.000001"])
def test_plain_numbers_stay_numbers(number: str) -> None:
    data = formatting.csv_bytes(["amount"], [[Decimal(number)]])
    assert list(csv.reader(io.StringIO(data.decode())))[1][0] == number


def test_dollars_are_grouped_and_rounded_to_cents() -> None:
    assert formatting.usd(Decimal("2386420.49306584")) == "2,386,420.49"
    assert formatting.usd(Decimal("7285.215")) == "7,285.22"
    assert formatting.usd(Decimal("-1.005")) == "-1.01"
    assert formatting.usd(Decimal("99999999999999999999.995")) == "100,000,000,000,000,000,000.00"
    assert formatting.usd(0) == "0.00" and formatting.usd(None) == ""


def test_decimals_are_exact_strings() -> None:
    assert formatting.dec(Decimal("0.100000000000000000")) == "0.1"
    assert formatting.dec(Decimal("1E+3")) == "1000"
    assert formatting.dec(None) == ""
    assert formatting.token_amount("115792089237316195423570985008687907853269984665640564039457584007913129639935",
                                18) == Decimal("115792089237316195423570985008687907853269984665640564039457.584007913129639935")


def _addresses() -> list[AttackerAddress]:
    return [AttackerAddress("0x" + "be" * 20, 1, "label: attacker A (labels.csv)", 90, T0, T0),
            AttackerAddress("0x" + "c'" * 20, None, "seed of a forward trace", 50, None, None)]


def _campaigns() -> list[Campaign]:
    return [Campaign("CMP-1", "XYZ/USDT", T0, T0.replace(hour=4), 3, 40, Decimal("1234.5"))]


def _cash_out() -> list[CashOutPoint]:
    return [CashOutPoint("tr", "0x" + "d4" * 20, "Binance", "exchange", "0xdac1", "USDT", 6,
                         Decimal("600000000"), T0, T0, 2)]


def test_stix_bundle_passes_the_oasis_validator_in_strict_mode() -> None:
    data = sharing.stix_bundle(_addresses(), _campaigns(), _cash_out(), T0)
    result = validate_string(data.decode(), ValidationOptions(version="2.1", strict=True))
    assert result.is_valid, [str(e) for e in result.errors]
    assert not result.warnings, [str(w) for w in result.warnings]
    # the same campaign and address keep their ids from one export to the next
    again = sharing.stix_bundle(_addresses(), _campaigns(), _cash_out(), T0.replace(year=2023))
    ids = {o["id"] for o in json.loads(data)["objects"]}
    assert {o["id"] for o in json.loads(again)["objects"] if o["type"] != "bundle"} == ids


def test_stix_bundle_parses_with_stix2() -> None:
    data = sharing.stix_bundle(_addresses(), _campaigns(), _cash_out(), T0)
    bundle = stix2.parse(data.decode(), allow_custom=False, version="2.1")
    types = [o.type for o in bundle.objects]
    assert types.count("campaign") == 1
    assert types.count("indicator") == 3
    assert types.count("relationship") == 2
    patterns = {o.pattern for o in bundle.objects if o.type == "indicator"}
    assert f"[cryptocurrency-wallet:address = '{'0x' + 'be' * 20}']" in patterns
    assert "[cryptocurrency-wallet:address = '0xc\\'c\\'" in "".join(patterns)  # quotes are escaped
    camp = next(o for o in bundle.objects if o.type == "campaign")
    assert "40 unauthorised trades on XYZ/USDT" in camp.description and "1234.5 USD" in camp.description


def test_misp_event_has_coin_address_objects() -> None:
    event = json.loads(sharing.misp_event("t", _addresses(), _campaigns(), _cash_out(), T0))["Event"]
    assert event["info"] == "t" and event["date"] == "2022-12-10"
    values = {a["value"] for o in event["Object"] for a in o["Attribute"] if a["object_relation"] == "address-crypto"}
    assert values == {"0x" + "be" * 20, "0x" + "c'" * 20, "0x" + "d4" * 20}
    assert all(o["name"] == "coin-address" for o in event["Object"])
    ids = [a["to_ids"] for o in event["Object"] for a in o["Attribute"] if a["object_relation"] == "address-crypto"]
    assert ids == [True, True, False]  # attacker addresses are indicators, exchange deposit addresses are not
    assert "40 unauthorised trades" in event["Attribute"][0]["value"]


def test_ic3_records_name_dates_amounts_coins_hashes_and_addresses() -> None:
    trades = [UnauthorizedTrade("binance", "U1", T0, "XYZ/USDT", "buy", Decimal("0.5"), Decimal("100"),
                                Decimal("50"), Decimal("0.1"), "USDT", 90, "R", "CMP-1", Decimal("0.1"),
                                Decimal("40.1"), "ab" * 32, 3),
              UnauthorizedTrade("binance", "U1", T0.replace(minute=1), "XYZ/USDT", "buy", Decimal("0.6"),
                                Decimal("10"), Decimal("6"), Decimal("0.1"), "USDT", 90, "R", "CMP-1",
                                Decimal("0.1"), Decimal("5.1"), "ab" * 32, 4)]
    ledger = [LedgerTransfer(T0, "withdrawal", "USDT", Decimal("-250.5"), "0xvictim", "0xtxw", "ETH")]
    edges = [TraceEdge("tr", 2, 1, "0xtxc", "0xdac1", "USDT", 6, "0xmid", "0x" + "d4" * 20, T0, 5,
                       "600000000", Decimal("600000000"))]
    recs = sharing.ic3_records(trades, ledger, edges, _cash_out(), "binance", "U1")
    by_type = {r.record_type: r for r in recs}
    loss = by_type["loss"]
    assert (loss.amount, loss.coin, loss.usd_value, loss.exchange) == (Decimal("56"), "USDT", Decimal("45.2"), "binance")
    w = by_type["withdrawal"]
    assert (w.amount, w.transaction_hash, w.receiving_address) == (Decimal("250.5"), "0xtxw", "0xvictim")
    c = by_type["attacker_cash_out"]
    assert (c.amount, c.coin, c.sending_address, c.receiving_address, c.transaction_hash) == (
        Decimal("600"), "USDT", "0xmid", "0x" + "d4" * 20, "0xtxc")
    rows = list(csv.DictReader(io.StringIO(sharing.ic3_csv(recs).decode())))
    assert [r["record_type"] for r in rows] == [r.record_type for r in recs]
    assert rows[0]["date_utc"] == "2022-12-10T03:00:00Z"
    js = json.loads(sharing.ic3_json(recs, {"claim_id": 1}))
    assert js["transactions"][0]["amount"] in {"56", "250.5", "600"}


def test_zip_manifest_hashes_match_files() -> None:
    files = [exports.BundleFile("a.csv", b"x,y\r\n1,2\r\n", "a"), exports.BundleFile("b.json", b"{}\n", "b")]
    data = exports.build_zip(files, {"kind": "test"}, T0)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        assert [f["name"] for f in manifest["files"]] == ["a.csv", "b.json"]
        for entry in manifest["files"]:
            body = zf.read(entry["name"])
            assert exports.sha256_hex(body) == entry["sha256"] and len(body) == entry["size_bytes"]
        assert sorted(zf.namelist()) == ["a.csv", "b.json", "manifest.json"]
