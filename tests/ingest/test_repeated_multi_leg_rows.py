"""Identical file rows that each make several ledger legs: every leg is stored once per file row.

Exact repeats are legitimate (two identical fills in one minute) and are numbered (``occurrence``). A row
that makes several legs (a Bitstamp trade: base leg, quote leg, fee) must not have each of its legs
joined to the numbering of the other legs: that stored every leg of a repeated row more than once.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from core.workspace import Workspace
from ingest.formats.base import INGEST_SQL
from ingest.load import NATURAL_KEYS
from tests.ingest.format_helpers import D, ingest, stored

_HEADER = "Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type\n"
_TRADE = 'Market,"Mar. 3, 2022, 12:47 AM",Main Account,0.50000000 ETH,1200.00 EUR,2400.00 EUR,3.00000 EUR,Sell\n'


def test_repeated_trade_rows_store_each_leg_once_per_row(ws: Workspace, tmp_path: Path) -> None:
    p = tmp_path / "Transactions.csv"
    p.write_text(_HEADER + _TRADE + _TRADE + 'Deposit,"Mar. 3, 2022, 12:05 AM",Main Account,1.00000000 ETH,,,,\n'
                 + _TRADE)
    r = ingest(ws, p, account="bs")
    assert r.format == "bitstamp_transactions"
    m = stored(ws, "ledger_movements")
    # three trade rows x three legs (ETH, EUR, fee) + the deposit
    assert len(m) == 3 * 3 + 1
    legs = Counter((x["source_row"], x["kind"], x["asset"], x["amount"], x["occurrence"]) for x in m)
    assert max(legs.values()) == 1
    for n, row in enumerate((1, 2, 4), start=1):
        assert sorted((x["kind"], x["asset"], x["amount"], x["occurrence"]) for x in m if x["source_row"] == row) == [
            ("fee", "EUR", D("-3.00000"), n), ("trade", "ETH", D("-0.50000000"), n), ("trade", "EUR", D("1200.00"), n)]
    # the trades part: one fill per row, numbered 1..3
    t = stored(ws, "trades")
    assert [(x["source_row"], x["occurrence"]) for x in t] == [(1, 1), (2, 2), (4, 3)]
    # ingesting the same file again adds nothing
    assert ingest(ws, p, account="bs").rows_added == 0
    assert len(stored(ws, "ledger_movements")) == 10


def test_rows_sharing_some_legs_number_only_those(ws: Workspace, tmp_path: Path) -> None:
    # two trades alike but for their fee: their ETH and EUR legs are identical (numbered 1 and 2), their fee
    # legs are not (each is the first of its kind)
    p = tmp_path / "Transactions.csv"
    p.write_text(_HEADER + _TRADE + _TRADE.replace("3.00000 EUR", "2.50000 EUR"))
    ingest(ws, p, account="bs")
    m = stored(ws, "ledger_movements")
    assert sorted((x["source_row"], x["kind"], x["asset"], x["amount"], x["occurrence"]) for x in m) == [
        (1, "fee", "EUR", D("-3.00000"), 1), (1, "trade", "ETH", D("-0.50000000"), 1),
        (1, "trade", "EUR", D("1200.00"), 1),
        (2, "fee", "EUR", D("-2.50000"), 1), (2, "trade", "ETH", D("-0.50000000"), 2),
        (2, "trade", "EUR", D("1200.00"), 2)]


@pytest.mark.parametrize("kind", sorted(NATURAL_KEYS))
def test_the_merge_matches_stored_rows_on_the_natural_key_identical_rows_are_numbered_on(kind: str) -> None:
    """repeats.sql numbers identical rows on NATURAL_KEYS[kind]; merge_<kind>.sql must match stored rows on
    exactly those columns and the number, or a re-ingest would add rows (or an overlap lose some)."""
    merge = INGEST_SQL.text(f"merge_{kind}")
    joined = re.findall(r"AND [a-z]\.([a-z_]+) (?:=|IS NOT DISTINCT FROM) (?:coalesce\()?f\.([a-z_]+)", merge)
    matched = {column for column, _staged in joined} - {"occurrence"}
    if "pair" in matched:  # orders store the pair, staged as base and quote
        matched = (matched - {"pair"}) | {"base_asset", "quote_asset"}
    assert ("occurrence", "occurrence") in joined
    assert matched == set(NATURAL_KEYS[kind])
