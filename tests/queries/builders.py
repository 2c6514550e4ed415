"""Hand-made canonical rows for query tests (what the ingest would have written)."""

from __future__ import annotations

import hashlib
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb

EVIDENCE = "e" * 64


def ts(text: str) -> datetime:
    """'2022-12-25 22:29:00' as an aware UTC datetime."""
    return datetime.fromisoformat(text + "+00:00")


class Rows:
    """Collects rows and writes them in one go."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.row = 0

    def _next(self) -> int:
        self.row += 1
        return self.row

    def account(self, exchange: str, account: str) -> None:
        self.con.execute("INSERT INTO accounts VALUES (?, ?, 'run') ON CONFLICT DO NOTHING", [exchange, account])

    def trade(self, exchange: str, account: str, when: datetime, pair: str, side: str, price: str,
              quantity: str, *, fee: str | None = None, fee_asset: str | None = None,
              channel: str | None = None, counter_order_id: str | None = None,
              order_id: str | None = None, evidence: str = EVIDENCE) -> tuple[str, int]:
        self.account(exchange, account)
        base, quote = pair.split("/")
        row = self._next()
        qq = Decimal(price) * Decimal(quantity)
        self.con.execute(
            "INSERT INTO trades (exchange, account, time_utc, pair, base_asset, quote_asset, side, price, quantity,"
            " quote_quantity, fee, fee_asset, order_id, trade_id, counter_order_id, channel, liquidity, occurrence,"
            " evidence_sha256, source_row, ingest_run_id, format)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'taker', 1, ?, ?, 'run', 'test')",
            [exchange, account, when, pair, base, quote, side, Decimal(price), Decimal(quantity), qq,
             Decimal(fee) if fee is not None else None, fee_asset, order_id or f"o{row}", f"t{row}",
             counter_order_id, channel, evidence, row])
        # what the ingest's reconciliation derives from one fill of its own (ingest/reconcile.py)
        self.con.execute(
            "INSERT INTO executions SELECT exchange, account, time_utc, pair, base_asset, quote_asset, side, price,"
            " quantity, quote_quantity, fee, fee_asset, order_id, trade_id, counter_order_id, channel, liquidity,"
            " 'fill', NULL, 1, evidence_sha256, source_row, ingest_run_id, format FROM trades"
            " WHERE evidence_sha256 = ? AND source_row = ?", [evidence, row])
        self.con.execute(
            "INSERT INTO execution_sources VALUES (?, ?, ?, ?, 'trades', ?, ?, 'test', 'primary', 'self')",
            [exchange, account, evidence, row, evidence, row])
        return evidence, row

    def bars(self, source: str, pair: str, start: datetime, hours: int, close: str, quote_volume: str,
             interval: str = "1h") -> None:
        rows: list[list[Any]] = []
        for h in range(hours):
            c = Decimal(close)
            rows.append([source, pair, interval, start + timedelta(hours=h), c, c, c, c,
                         Decimal(quote_volume) / c, Decimal(quote_volume), 10, EVIDENCE, self._next(), "run"])
        self.con.executemany("INSERT INTO price_bars VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)

    def leak(self, exchange: str, account: str, api_key: str, *, created: datetime | None = None,
             source: str = "pastebin 2022-12-28") -> str:
        fp = hashlib.sha256(f"{exchange}:{api_key}".encode()).hexdigest()
        leak_id = hashlib.sha256(source.encode()).hexdigest()
        self.con.execute("INSERT INTO leaks VALUES (?, ?, DATE '2022-12-28', now(), 1) ON CONFLICT DO NOTHING",
                         [leak_id, source])
        self.con.execute("INSERT INTO leaked_keys VALUES (?, ?, ?, ?)", [fp, exchange, leak_id, self._next()])
        self.con.execute("INSERT INTO api_keys VALUES (?, ?, ?, ?, ?, false, ?)",
                         [fp, exchange, account, created, '{"enableSpotAndMarginTrading": true}', EVIDENCE])
        return fp

    def bot_order(self, exchange: str, account: str, when: datetime, pair: str, side: str, quantity: str) -> None:
        self.con.execute(
            "INSERT INTO bot_orders (platform, exchange, account, platform_account_id, deal_id, bot_id, order_id, "
            "time_utc, pair, side, quantity, price, occurrence, evidence_sha256, source_row, ingest_run_id) "
            "VALUES ('3commas', ?, ?, 'p1', 'deal1', 'bot1', NULL, ?, ?, ?, ?, NULL, 1, ?, ?, 'run')",
            [exchange, account, when, pair, side, Decimal(quantity), EVIDENCE, self._next()])

    def movement(self, exchange: str, account: str, when: datetime, kind: str, asset: str, amount: str) -> None:
        self.con.execute(
            "INSERT INTO ledger_movements (exchange, account, time_utc, kind, operation, asset, amount, occurrence,"
            " evidence_sha256, source_row, ingest_run_id, format) VALUES (?, ?, ?, ?, ?, ?, ?, 1, ?, ?, 'run', 'test')",
            [exchange, account, when, kind, kind, asset, Decimal(amount), EVIDENCE, self._next()])
