"""One set of executions, rendered as every kind of evidence an exchange gives (Trade History, statements in
both operation styles, order history, Filled Orders, fills), ingested in any subset and any order: the same
executions, the same findings and the same losses.

Each generated set holds at most one execution per second, so that every kind can record it alone (a
statement second with several fills of one side is one execution by design, and a second holding a buy
and a sell whose fees are both in BNB cannot be split: tests/ingest/test_reconcile_rules.py and
docs/reconciliation.md). Fees are in the asset the execution received, or in BNB, as Binance and KuCoin
charge them.
"""

from __future__ import annotations

import csv
import io
import tempfile
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.config import load_settings
from core.workspace import Workspace
from ingest.api import ingest_file
from queries.detect import detect

SETTINGS = settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ACCOUNT = "40001"
START = datetime(2023, 3, 10, 12, 0, tzinfo=UTC)
# (pair, reference price): AKRO is the thin coin pumped 5x through the account
PAIRS = {("AKRO", "USDT"): Decimal("0.01"), ("BTC", "USDT"): Decimal("20000"), ("ETH", "BTC"): Decimal("0.06")}

execution = st.fixed_dictionaries({
    "second": st.integers(min_value=0, max_value=1200),
    "pair": st.sampled_from(sorted(PAIRS)),
    "side": st.sampled_from(["buy", "sell"]),
    "lots": st.integers(min_value=1, max_value=5000),        # quantity in units of 0.01
    "markup": st.sampled_from([Decimal("1"), Decimal("5")]),  # 5: a pumped fill
    "fee_in": st.sampled_from(["received", "BNB"]),
})


def executions(draw: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One execution a second; exact amounts: quote = price x quantity in few decimals."""
    seen: set[tuple[Any, ...]] = set()
    out = []
    for e in draw:
        key = e["second"]
        if key in seen:
            continue
        seen.add(key)
        base, quote = e["pair"]
        price = PAIRS[e["pair"]] * e["markup"]
        qty = Decimal(e["lots"]) / 100
        received = base if e["side"] == "buy" else quote
        fee_asset = received if e["fee_in"] == "received" else "BNB"
        fee = {base: qty / 1000, quote: price * qty / 1000}.get(fee_asset, Decimal("0.0001"))
        out.append({"time": START + timedelta(seconds=e["second"]), "base": base, "quote": quote, "side": e["side"],
                    "price": price, "quantity": qty, "quote_quantity": price * qty, "fee": fee, "fee_asset": fee_asset})
    return sorted(out, key=lambda x: x["time"])


def plain(d: Decimal) -> str:
    return format(d.normalize(), "f")


def text(header: list[str], rows: list[list[str]]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def trade_history(ex: list[dict[str, Any]]) -> str:
    rows = [[e["time"].strftime("%Y-%m-%d %H:%M:%S"), e["base"] + e["quote"], e["side"].upper(), plain(e["price"]),
             plain(e["quantity"]) + e["base"], plain(e["quote_quantity"]) + e["quote"], plain(e["fee"]) + e["fee_asset"]]
            for e in reversed(ex)]  # newest first, as Binance writes it
    return text(["Date(UTC)", "Pair", "Side", "Price", "Executed", "Amount", "Fee"], rows)


def statement(ex: list[dict[str, Any]], style: str) -> str:
    rows = []
    for e in ex:
        t = e["time"].strftime("%Y-%m-%d %H:%M:%S")
        buy = e["side"] == "buy"
        if style == "2023":
            legs = [("Transaction Buy" if buy else "Transaction Sold", e["base"], e["quantity"] if buy else -e["quantity"]),
                    ("Transaction Spend" if buy else "Transaction Revenue", e["quote"],
                     -e["quote_quantity"] if buy else e["quote_quantity"]),
                    ("Transaction Fee", e["fee_asset"], -e["fee"])]
        else:
            op = "Buy" if buy else "Sell"
            legs = [(op, e["base"], e["quantity"] if buy else -e["quantity"]),
                    (op if buy else "Transaction Related", e["quote"], -e["quote_quantity"] if buy else e["quote_quantity"]),
                    ("Fee", e["fee_asset"], -e["fee"])]
        rows += [[ACCOUNT, t, "Spot", op, coin, plain(amount), ""] for op, coin, amount in legs]
    return text(["User_ID", "UTC_Time", "Account", "Operation", "Coin", "Change", "Remark"], rows)


def order_history(ex: list[dict[str, Any]]) -> str:
    rows = [[e["time"].strftime("%Y-%m-%d %H:%M:%S"), f"9{i:06d}", e["base"] + e["quote"], "MARKET", e["side"].upper(),
             "0", plain(e["quantity"]), e["time"].strftime("%Y-%m-%d %H:%M:%S"), plain(e["quantity"]),
             plain(e["price"]), plain(e["quote_quantity"]), "FILLED"] for i, e in enumerate(ex)]
    return text(["Date(UTC)", "OrderNo", "Pair", "Type", "Side", "Order Price", "Order Amount", "Time", "Executed",
                 "Average Price", "Trading total", "Status"], rows)


def kucoin_filled_orders(ex: list[dict[str, Any]]) -> str:
    rows = []
    for i, e in enumerate(ex):
        sg = (e["time"] + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S")
        rows.append([ACCOUNT, "mainAccount", f"ord{i:04d}", sg, f"{e['base']}-{e['quote']}", e["side"].upper(),
                     "MARKET", "", plain(e["quantity"]), plain(e["price"]), plain(e["quantity"]),
                     plain(e["quote_quantity"]), plain(e["quote_quantity"]), sg, plain(e["fee"]), e["fee_asset"], "",
                     "deal", "CLASSIC"])
    return text(["UID", "Account Type", "Order ID", "Order Time(UTC+08:00)", "Symbol", "Side", "Order Type",
                 "Order Price", "Order Amount", "Avg. Filled Price", "Filled Amount", "Filled Volume",
                 "Filled Volume (USDT)", "Filled Time(UTC+08:00)", "Fee", "Fee Currency", "Tax", "Status",
                 "Account Mode"], rows)


def kucoin_fills(ex: list[dict[str, Any]]) -> str:
    rows = [[ACCOUNT, "mainAccount", f"ord{i:04d}", f"{e['base']}-{e['quote']}", e["side"].upper(), "MARKET",
             plain(e["price"]), plain(e["quantity"]), plain(e["quote_quantity"]), "",
             (e["time"] + timedelta(hours=8)).strftime("%Y-%m-%d %H:%M:%S"), plain(e["fee"]), "", "TAKER",
             e["fee_asset"]] for i, e in enumerate(ex)]
    return text(["UID", "Account Type", "Order ID", "Symbol", "Side", "Order Type", "Avg. Filled Price",
                 "Filled Amount", "Filled Volume", "Filled Volume (USDT)", "Filled Time(UTC+08:00)", "Fee", "Tax",
                 "Maker/Taker", "Fee Currency"], rows)


RENDERINGS = {
    "binance": {"trade_history.csv": trade_history, "statement_2023.csv": lambda ex: statement(ex, "2023"),
                "statement_old.csv": lambda ex: statement(ex, "old"), "order_history.csv": order_history},
    "kucoin": {"filled_orders.csv": kucoin_filled_orders, "order_splitting.csv": kucoin_fills},
}
NO_FEE = {"order_history.csv"}  # the Binance Order History has no fee column


def reference_bars(ws: Workspace) -> None:
    """Another venue's hourly closes at the reference prices of PAIRS, from the day before START."""
    with ws.db.write() as con:
        for (base, quote), price in PAIRS.items():
            for h in range(30):
                t = START - timedelta(hours=26) + timedelta(hours=h)
                con.execute("INSERT INTO price_bars VALUES ('refvenue', ?, '1h', ?, ?, ?, ?, ?, ?, ?, 1, 'p', ?, 'r')",
                            [f"{base}/{quote}", t, price, price, price, price, Decimal(1000) / price,
                             Decimal(1000), h + 1])


def pumped_run() -> list[dict[str, Any]]:
    """A sell, then six buys of the thin coin at 5x: seven unauthorised executions."""
    draw = [{"second": 0, "pair": ("BTC", "USDT"), "side": "sell", "lots": 10, "markup": Decimal(1), "fee_in": "BNB"}]
    draw += [{"second": 5 + 3 * i, "pair": ("AKRO", "USDT"), "side": "buy", "lots": 4000, "markup": Decimal(5),
              "fee_in": "received"} for i in range(6)]
    return executions(draw)


def run(exchange: str, ex: list[dict[str, Any]], files: list[str]) -> dict[str, Any]:
    """Ingest the renderings named by ``files`` (in that order) into a fresh case; its executions and findings."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        ws = Workspace(load_settings(folder / "case.duckdb", env={}), lock_timeout=10)
        ws.init()
        reference_bars(ws)
        for name in files:
            path = folder / name
            path.write_text(RENDERINGS[exchange][name](ex), encoding="utf-8")
            ingest_file(ws, path, exchange=exchange, account=ACCOUNT)
        detect(ws)
        with ws.db.read() as con:
            execs = con.execute("SELECT time_utc, pair, side, price, quantity, quote_quantity, fee, fee_asset, "
                                "derived_from FROM executions ORDER BY time_utc, pair, side").fetchall()
            conflicts = con.execute("SELECT detail FROM execution_conflicts").fetchall()
            orphans = con.execute(
                "SELECT count(*) FROM execution_sources s WHERE NOT EXISTS (SELECT 1 FROM trades t WHERE "
                "t.evidence_sha256 = s.src_sha256 AND t.source_row = s.src_row) AND NOT EXISTS (SELECT 1 FROM orders o "
                "WHERE o.evidence_sha256 = s.src_sha256 AND o.source_row = s.src_row) AND NOT EXISTS (SELECT 1 FROM "
                "ledger_movements m WHERE m.evidence_sha256 = s.src_sha256 AND m.source_row = s.src_row)").fetchall()
            unsourced = con.execute("SELECT count(*) FROM executions e WHERE NOT EXISTS (SELECT 1 FROM "
                                    "execution_sources s WHERE s.evidence_sha256 = e.evidence_sha256 AND "
                                    "s.source_row = e.source_row AND s.role = 'primary')").fetchall()
            findings = con.execute("SELECT time_utc, pair, side, quantity, loss_usd FROM unauthorized_trades "
                                   "ORDER BY time_utc, pair, side").fetchall()
            losses = con.execute("SELECT account, loss_usd FROM account_losses").fetchall()
    return {"executions": execs, "conflicts": conflicts, "orphans": orphans[0][0], "unsourced": unsourced[0][0],
            "findings": findings, "losses": losses}


def check(exchange: str, draw: list[dict[str, Any]], chosen: list[str]) -> None:
    ex = executions(draw)
    got = run(exchange, ex, chosen)
    full = run(exchange, ex, sorted(RENDERINGS[exchange]))
    with_fee = any(name not in NO_FEE for name in chosen)
    want = [(e["time"], f"{e['base']}/{e['quote']}", e["side"], e["price"], e["quantity"], e["quote_quantity"])
            + ((e["fee"], e["fee_asset"]) if with_fee else (None, None)) for e in ex]
    assert [r[:8] for r in got["executions"]] == want
    assert got["conflicts"] == [], got["conflicts"]
    assert (got["orphans"], got["unsourced"]) == (0, 0)
    # findings and losses do not depend on which evidence was given, nor in which order (fees aside: an order
    # history alone carries none, so its losses omit them)
    strip = (lambda rows: [r[:4] for r in rows]) if not with_fee else (lambda rows: rows)
    assert strip(got["findings"]) == strip(full["findings"])
    if with_fee:
        assert got["losses"] == full["losses"]


@SETTINGS
@given(st.lists(execution, min_size=1, max_size=12), st.data())
def test_binance_evidence_in_any_subset_and_order_gives_the_same_executions(draw: list[dict[str, Any]],
                                                                          data: st.DataObject) -> None:
    names = sorted(RENDERINGS["binance"])
    subset = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    check("binance", draw, data.draw(st.permutations(subset)))


@SETTINGS
@given(st.lists(execution, min_size=1, max_size=12), st.data())
def test_kucoin_evidence_in_any_subset_and_order_gives_the_same_executions(draw: list[dict[str, Any]],
                                                                         data: st.DataObject) -> None:
    names = sorted(RENDERINGS["kucoin"])
    subset = data.draw(st.lists(st.sampled_from(names), min_size=1, max_size=len(names), unique=True))
    check("kucoin", draw, data.draw(st.permutations(subset)))


def test_a_pumped_run_is_found_whatever_the_evidence() -> None:
    """Not vacuous: a sell, then buys of the thin coin at 5x, are found as unauthorised from every rendering."""
    for exchange, names in RENDERINGS.items():
        for name in names:
            got = run(exchange, pumped_run(), [name])
            assert len(got["findings"]) == 7, (exchange, name, got["findings"])
            assert got["losses"] and got["losses"][0][1] > 0
