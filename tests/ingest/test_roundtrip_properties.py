"""Property tests: records rendered in each format, then parsed back by keytrace, are the same records.

Parsing goes through the real pipeline up to the merge (sniff -> DuckDB staging -> validation ->
finalisation); the records are read back from the staged ``final`` rows.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import ROUND_DOWN, ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

import duckdb
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ingest import load
from ingest.formats.assets import split_pair
from ingest.formats.base import Options
from ingest.sniff import sniff

SETTINGS = settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.too_slow])

BASES = ["BTC", "ETH", "ADA", "1INCH", "1000SATS", "VET", "XRP", "DOGE", "SOL", "1MBABYDOGE"]
QUOTES = ["USDT", "BTC", "FDUSD", "EUR", "BNB", "TUSD"]
PAIRS = [(b, q) for b in BASES for q in QUOTES if b != q and split_pair(b + q) == (b, q)]

times = st.datetimes(min_value=datetime(2017, 7, 1), max_value=datetime(2030, 12, 31)).map(
    lambda d: d.replace(microsecond=0, tzinfo=UTC))


def amounts(places: int = 8, top: int = 10**9) -> st.SearchStrategy[Decimal]:
    return st.integers(min_value=1, max_value=top * 10**places).map(lambda n: Decimal(n).scaleb(-places))


trade = st.fixed_dictionaries({
    "time_utc": times,
    "pair": st.sampled_from(PAIRS),
    "side": st.sampled_from(["buy", "sell"]),
    "price": amounts(10, 10**6),
    "quantity": amounts(8),
    "quote_quantity": amounts(8),
    "fee": amounts(8, 10**3),
    "fee_which": st.sampled_from(["base", "quote", "BNB"]),
})


def csv_text(header: list[str], rows: list[list[str]], *, trailing_comma: bool = False, bom: bool = False) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header + ([""] if trailing_comma else []))
    for r in rows:
        w.writerow(r + ([""] if trailing_comma else []))
    return ("\ufeff" if bom else "") + buf.getvalue()


def parse(text: str, name: str, **opts: Any) -> tuple[str, list[dict[str, Any]]]:
    """The format keytrace recognises and the records it reads back, in file order."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / name
        path.write_text(text, encoding="utf-8")
        sniffed = sniff(path, name)
        work = Path(tmp) / "work"
        work.mkdir()
        staged = load.stage(path, sniffed.head, sniffed.spec, Options(**opts), work)
        assert staged.rows_bad == 0, staged.problems
        con = duckdb.connect(str(staged.db_path), read_only=True)
        try:
            con.execute("SET TimeZone = 'UTC'")
            cur = con.execute("SELECT * FROM final ORDER BY source_row")
            cols = [d[0] for d in cur.description or []]
            return sniffed.spec.name, [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
        finally:
            con.close()


def fee_asset(t: dict[str, Any]) -> str:
    base, quote = t["pair"]
    return {"base": base, "quote": quote}.get(t["fee_which"], "BNB")


def same_trades(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert (g["time_utc"], g["base_asset"], g["quote_asset"], g["side"]) == (
            w["time_utc"], w["pair"][0], w["pair"][1], w["side"])
        assert (g["price"], g["quantity"], g["quote_quantity"], g["fee"], g["fee_asset"]) == (
            w["price"], w["quantity"], w["quote_quantity"], w["fee"], fee_asset(w))


def amount_of(t: dict[str, Any], rounding: str) -> dict[str, Any]:
    """The trade with its quote amount Price x Executed at the 8 decimals Binance shows, rounded or truncated
    (keytrace refuses an Amount that is not the product within the file's rounding)."""
    return {**t, "quote_quantity": (t["price"] * t["quantity"]).quantize(Decimal("1e-8"), rounding=rounding)}


def money(d: Decimal, places: int, thousands: bool = False) -> str:
    return f"{d:,.{places}f}" if thousands else f"{d:.{places}f}"


@SETTINGS
@given(st.lists(trade, min_size=1, max_size=8), st.integers(min_value=-12, max_value=14), st.booleans(),
       st.booleans(), st.sampled_from([ROUND_HALF_EVEN, ROUND_DOWN]))
def test_binance_trade_history_roundtrip(trades: list[dict[str, Any]], zone: int, quoted: bool, bom: bool,
                                         rounding: str) -> None:
    header = f"Date(UTC{zone:+d})" if zone else "Date(UTC)"
    trades = [amount_of(t, rounding) for t in trades]
    # an Amount of 0.00000000 is not a trade: a price of 1 or more gives at least 0.00000001
    trades = [t if t["quote_quantity"] > 0 else amount_of({**t, "price": t["price"] + 1}, rounding) for t in trades]
    rows = []
    for t in trades:
        base, quote = t["pair"]
        local = t["time_utc"] + timedelta(hours=zone)
        rows.append([local.strftime("%Y-%m-%d %H:%M:%S"), base + quote, t["side"].upper(),
                     money(t["price"], 10, thousands=True), money(t["quantity"], 10, quoted) + base,
                     money(t["quote_quantity"], 8, quoted) + quote, money(t["fee"], 10) + fee_asset(t)])
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n", quoting=csv.QUOTE_ALL if quoted else csv.QUOTE_MINIMAL)
    w.writerow([header, "Pair", "Side", "Price", "Executed", "Amount", "Fee"])
    w.writerows(rows)
    fmt, got = parse(("\ufeff" if bom else "") + buf.getvalue(), "trades.csv")
    assert fmt == "binance_trade_history"
    same_trades(got, trades)


@SETTINGS
@given(st.lists(trade, min_size=1, max_size=8))
def test_binance_legacy_trade_history_roundtrip(trades: list[dict[str, Any]]) -> None:
    rows = [[t["time_utc"].strftime("%Y-%m-%d %H:%M:%S"), t["pair"][0] + t["pair"][1], t["side"].upper(),
             str(t["price"]), str(t["quantity"]), str(t["quote_quantity"]), str(t["fee"]), fee_asset(t)]
            for t in trades]
    fmt, got = parse(csv_text(["Date(UTC)", "Market", "Type", "Price", "Amount", "Total", "Fee", "Fee Coin"], rows),
                     "legacy.csv")
    assert fmt == "binance_trade_history_legacy"
    same_trades(got, trades)


@SETTINGS
@given(st.lists(trade, min_size=1, max_size=8), st.booleans(), st.sampled_from(["v3", "minimal", "legacy"]))
def test_kucoin_trade_histories_roundtrip(trades: list[dict[str, Any]], trailing: bool, variant: str) -> None:
    sg = [t["time_utc"] + timedelta(hours=8) for t in trades]   # no zone in the file: Asia/Singapore
    if variant == "legacy":
        header = ["Time", "Pair", "Side", "FilledPrice", "FilledPriceCoin", "Amount", "AmountCoin", "Volume",
                  "VolumeCoin", "Fee", "FeeCoin"]
        rows = [[s.strftime("%Y/%m/%d %H:%M:%S"), f"{t['pair'][0]}/{t['pair'][1]}", t["side"].title(),
                 str(t["price"]), t["pair"][1], str(t["quantity"]), t["pair"][0], str(t["quote_quantity"]),
                 t["pair"][1], str(t["fee"]), fee_asset(t)] for t, s in zip(trades, sg, strict=True)]
        trailing = False
    elif variant == "minimal":
        header = ["tradeCreatedAt", "symbol", "side", "price", "size", "funds", "fee", "feeCurrency"]
        rows = [[s.strftime("%Y-%m-%d %H:%M:%S"), f"{t['pair'][0]}-{t['pair'][1]}", t["side"], str(t["price"]),
                 str(t["quantity"]), str(t["quote_quantity"]), str(t["fee"]), fee_asset(t)]
                for t, s in zip(trades, sg, strict=True)]
    else:
        header = ["tradeCreatedAt", "orderId", "symbol", "side", "price", "size", "funds", "fee", "liquidity",
                  "feeCurrency", "orderType"]
        rows = [[s.strftime("%Y-%m-%d %H:%M:%S"), f"o{i}", f"{t['pair'][0]}-{t['pair'][1]}", t["side"],
                 str(t["price"]), str(t["quantity"]), str(t["quote_quantity"]), str(t["fee"]), "taker",
                 fee_asset(t), "limit"] for i, (t, s) in enumerate(zip(trades, sg, strict=True))]
    fmt, got = parse(csv_text(header, rows, trailing_comma=trailing), "kucoin.csv")
    assert fmt == {"legacy": "kucoin_trade_history_legacy"}.get(variant, "kucoin_trade_history_v3")
    same_trades(got, trades)


@SETTINGS
@given(st.lists(trade, min_size=1, max_size=8), st.integers(min_value=-11, max_value=12))
def test_kucoin_order_splitting_roundtrip(trades: list[dict[str, Any]], zone: int) -> None:
    header = ["UID", "Account Type", "Order ID", "Symbol", "Side", "Order Type", "Avg. Filled Price",
              "Filled Amount", "Filled Volume", "Filled Volume (USDT)", f"Filled Time(UTC{zone:+03d}:00)", "Fee",
              "Tax", "Maker/Taker", "Fee Currency"]
    rows = [["777", "mainAccount", f"o{i}", f"{t['pair'][0]}-{t['pair'][1]}", t["side"].upper(), "LIMIT",
             str(t["price"]), str(t["quantity"]), str(t["quote_quantity"]), "",
             (t["time_utc"] + timedelta(hours=zone)).strftime("%Y-%m-%d %H:%M:%S"), str(t["fee"]), "", "TAKER",
             fee_asset(t)] for i, t in enumerate(trades)]
    fmt, got = parse(csv_text(header, rows), "fills.csv")
    assert fmt == "kucoin_order_splitting"
    same_trades(got, trades)
    assert {g["account"] for g in got} == {"777"}


movement = st.fixed_dictionaries({
    "time_utc": times,
    "asset": st.sampled_from(["BTC", "ETH", "USDT", "1INCH", "BNB"]),
    "amount": amounts(8).flatmap(lambda a: st.sampled_from([a, -a])),
    "operation": st.sampled_from(["Deposit", "Withdraw", "Transaction Buy", "Transaction Fee", "Fee",
                                  "Simple Earn Flexible Interest", "Transfer Between Main and Funding Wallet"]),
    "wallet": st.sampled_from(["Spot", "Funding"]),
    "remark": st.sampled_from(["", "Binance Earn", "free text, with a comma"]),
})
KINDS = {"Deposit": "deposit", "Withdraw": "withdrawal", "Transaction Buy": "trade", "Transaction Fee": "fee",
         "Fee": "fee", "Simple Earn Flexible Interest": "reward",
         "Transfer Between Main and Funding Wallet": "transfer"}


@SETTINGS
@given(st.lists(movement, min_size=1, max_size=10), st.booleans(), st.booleans())
def test_binance_statement_roundtrip(moves: list[dict[str, Any]], user_id: bool, exponent: bool) -> None:
    def amount_text(a: Decimal) -> str:
        return f"{a:E}" if exponent else str(a)

    header = (["User_ID"] if user_id else []) + ["UTC_Time", "Account", "Operation", "Coin", "Change", "Remark"]
    rows = [(["42"] if user_id else []) + [m["time_utc"].strftime("%Y-%m-%d %H:%M:%S"), m["wallet"],
                                           m["operation"], m["asset"], amount_text(m["amount"]), m["remark"]]
            for m in moves]
    fmt, got = parse(csv_text(header, rows), "statement.csv")
    assert fmt == "binance_transaction_statement"
    assert len(got) == len(moves)
    for g, m in zip(got, moves, strict=True):
        assert (g["time_utc"], g["wallet"], g["operation"], g["kind"], g["asset"], g["amount"],
                g["remark"] or "") == (m["time_utc"], m["wallet"], m["operation"], KINDS[m["operation"]],
                                       m["asset"], m["amount"], m["remark"])
        assert g["account"] == ("42" if user_id else None)


@SETTINGS
@given(st.lists(movement, min_size=1, max_size=8), st.sampled_from(["deposit", "withdraw"]), st.booleans())
def test_binance_deposit_withdrawal_roundtrip(moves: list[dict[str, Any]], direction: str, v2: bool) -> None:
    if v2:
        header = ["Date(UTC+0)", "Coin", "Network", "Amount"] + (["Fee"] if direction == "withdraw" else []) + [
            "Address", "TXID", "Status"]
        rows = [[m["time_utc"].strftime("%y-%m-%d %H:%M:%S"), m["asset"], "NET", str(abs(m["amount"]))]
                + (["0.1"] if direction == "withdraw" else []) + ["addr", f"tx{i}", "Completed"]
                for i, m in enumerate(moves)]
    else:
        header = ["Date(UTC)", "Coin", "Network", "Amount", "TransactionFee", "Address", "TXID", "SourceAddress",
                  "PaymentID", "Status"]
        rows = [[m["time_utc"].strftime("%Y-%m-%d %H:%M:%S"), m["asset"], "NET", str(abs(m["amount"])), "0.1",
                 "addr", f"tx{i}", "", "", "Completed"] for i, m in enumerate(moves)]
    fmt, got = parse(csv_text(header, rows), f"binance-{direction}-history.csv")
    kind = "deposit" if direction == "deposit" else "withdrawal"
    assert fmt.startswith(f"binance_{kind}_history")
    for i, (g, m) in enumerate(zip(got, moves, strict=True)):
        sign = 1 if kind == "deposit" else -1
        assert (g["time_utc"], g["kind"], g["asset"], g["amount"], g["tx_hash"]) == (
            m["time_utc"], kind, m["asset"], sign * abs(m["amount"]), f"tx{i}")


order = st.fixed_dictionaries({
    "order_id": st.integers(min_value=1, max_value=10**12).map(str),
    "created_utc": times,
    "delay": st.integers(min_value=0, max_value=86_400),
    "pair": st.sampled_from(PAIRS),
    "side": st.sampled_from(["buy", "sell"]),
    "order_type": st.sampled_from(["limit", "market"]),
    "order_price": amounts(8, 10**6),
    "order_quantity": amounts(8),
    "filled_quantity": amounts(8),
    "filled_quote": amounts(8),
    "avg_price": amounts(8, 10**6),
    "status": st.sampled_from(["filled", "cancelled", "partially_filled"]),
})


def same_orders(got: list[dict[str, Any]], want: list[dict[str, Any]]) -> None:
    assert len(got) == len(want)
    for g, w in zip(got, want, strict=True):
        assert (g["order_id"], g["created_utc"], g["updated_utc"], g["base_asset"], g["quote_asset"], g["side"],
                g["order_type"]) == (w["order_id"], w["created_utc"], w["created_utc"] + timedelta(seconds=w["delay"]),
                                     w["pair"][0], w["pair"][1], w["side"], w["order_type"])
        assert (g["order_price"], g["order_quantity"], g["filled_quantity"], g["filled_quote"], g["avg_price"]) == (
            w["order_price"], w["order_quantity"], w["filled_quantity"], w["filled_quote"], w["avg_price"])


@SETTINGS
@given(st.lists(order, min_size=1, max_size=6), st.integers(min_value=-5, max_value=9), st.booleans())
def test_binance_order_history_roundtrip(orders: list[dict[str, Any]], zone: int, newer: bool) -> None:
    def local(d: datetime) -> str:
        return (d + timedelta(hours=zone)).strftime("%Y-%m-%d %H:%M:%S")

    if newer:   # footnote marks, plain Time twice, fused amounts, the zone in the file name
        header = ["Time", "OrderNo", "Pair", "Type\u00b9", "Side", "Order Price", "Order Amount", "Time",
                  "Executed\u00b2", "Average Price", "Trading total\u00b3", "Status"]
        name = f"Binance-Spot-Order-History-202609301805(UTC{zone:+d})-part1-of1.csv"
    else:
        header = ["Date(UTC)", "OrderNo", "Pair", "Type", "Side", "Order Price", "Order Amount", "Time", "Executed",
                  "Average Price", "Trading total", "Status"]
        name = "part-00000-1b2c3d4e-c000.csv"
        zone = 0
    rows = []
    for o in orders:
        base, quote = o["pair"]
        suffix = (base, quote) if newer else ("", "")
        rows.append([local(o["created_utc"]), o["order_id"], base + quote, o["order_type"].upper(), o["side"].upper(),
                     money(o["order_price"], 8, thousands=True), money(o["order_quantity"], 8) + suffix[0],
                     local(o["created_utc"] + timedelta(seconds=o["delay"])),
                     money(o["filled_quantity"], 8) + suffix[0], money(o["avg_price"], 8, thousands=True),
                     money(o["filled_quote"], 8) + suffix[1], o["status"].upper()])
    fmt, got = parse(csv_text(header, rows, bom=newer), name)
    assert fmt == "binance_order_history"
    same_orders(got, orders)


@SETTINGS
@given(st.lists(order, min_size=1, max_size=6), st.one_of(st.none(), st.integers(min_value=-11, max_value=12)),
       st.booleans())
def test_kucoin_filled_orders_roundtrip(orders: list[dict[str, Any]], zone: int | None, tax: bool) -> None:
    z = "" if zone is None else f"(UTC{zone:+03d}:00)"
    shift = timedelta(hours=8 if zone is None else zone)
    header = (["UID", "Account Type", "Order ID", f"Order Time{z}", "Symbol", "Side", "Order Type", "Order Price",
               "Order Amount", "Avg. Filled Price", "Filled Amount", "Filled Volume", "Filled Volume (USDT)",
               f"Filled Time{z}", "Fee", "Fee Currency"] + (["Tax"] if tax else []) + ["Status"])
    rows = [["5150", "mainAccount", o["order_id"], (o["created_utc"] + shift).strftime("%Y-%m-%d %H:%M:%S"),
             f"{o['pair'][0]}-{o['pair'][1]}", o["side"].upper(), o["order_type"].upper(), str(o["order_price"]),
             str(o["order_quantity"]), str(o["avg_price"]), str(o["filled_quantity"]), str(o["filled_quote"]), "",
             (o["created_utc"] + timedelta(seconds=o["delay"]) + shift).strftime("%Y-%m-%d %H:%M:%S"), "0.1",
             o["pair"][1]] + ([""] if tax else []) + [o["status"]] for o in orders]
    fmt, got = parse(csv_text(header, rows), "orders.csv")
    assert fmt == "kucoin_filled_orders"
    same_orders(got, orders)
    assert [g["avg_price_text"] for g in got] == [str(o["avg_price"]) for o in orders]
