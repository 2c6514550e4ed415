"""A hand-made incident: two victims pumped into AKRO/USDT, and the hard negatives around them.

Hand-computed expectations (fair prices: AKRO 0.01, BTC 20000, ETH 1200 USDT, from binance bars):
* v1 (kucoin, leaked key): sells 1 ETH @1200 (fee 1.2) and 0.1 BTC @20000 (fee 2), then buys
  10 x 4000 AKRO @0.08 (320 USDT, fee 0.32 each): loss = 1.2 + 2 + 10 x (320 - 40 + 0.32) = 2806.40.
* v2 (binance): buys 4 x 1000 AKRO @0.09 (fee 0.09 each): loss = 4 x (90 - 10 + 0.09) = 320.36.
* active (kucoin): 30 BTC/USDT fills in 90 s at market: clean.
* thinlegit (binance): 5 AKRO buys at 0.0105, near market: clean.
* botuser (kucoin): 3 AKRO buys at 0.08 during the pump, each explained by its 3Commas bot log: clean.
* v1's own AKRO buy on 2022-12-20 at 0.0102 through the web: clean.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.workspace import Workspace
from tests.queries.builders import Rows, ts


@pytest.fixture
def incident(ws: Workspace) -> Workspace:
    with ws.db.write() as con:
        r = Rows(con)
        start = ts("2022-12-17 00:00:00")
        r.bars("binance", "AKRO/USDT", start, 24 * 9, "0.01", "1000")
        r.bars("binance", "BTC/USDT", start, 24 * 9, "20000", "100000000")
        r.bars("binance", "ETH/USDT", start, 24 * 9, "1200", "100000000")
        r.leak("kucoin", "v1", "KEY-V1", created=ts("2022-06-01 00:00:00"))
        # v1: clean month, then the attack
        r.trade("kucoin", "v1", ts("2022-12-20 10:00:00"), "AKRO/USDT", "buy", "0.0102", "1000", channel="web")
        t0 = ts("2022-12-25 22:29:00")
        r.trade("kucoin", "v1", t0, "ETH/USDT", "sell", "1200", "1", fee="1.2", fee_asset="USDT", channel="api")
        r.trade("kucoin", "v1", t0 + timedelta(seconds=2), "BTC/USDT", "sell", "20000", "0.1", fee="2",
                fee_asset="USDT", channel="api")
        for i in range(10):
            r.trade("kucoin", "v1", t0 + timedelta(seconds=10 + 5 * i), "AKRO/USDT", "buy", "0.08", "4000",
                    fee="0.32", fee_asset="USDT", channel="api", counter_order_id="X1")
        # v2: a second victim in the same window, on another venue
        r.movement("binance", "v2", ts("2022-12-01 09:00:00"), "deposit", "USDT", "500")
        for i in range(4):
            r.trade("binance", "v2", ts("2022-12-25 22:40:00") + timedelta(seconds=2 * i), "AKRO/USDT", "buy",
                    "0.09", "1000", fee="0.09", fee_asset="USDT")
        # hard negatives
        for i in range(30):
            r.trade("kucoin", "active", ts("2022-12-25 12:00:00") + timedelta(seconds=3 * i), "BTC/USDT",
                    "buy" if i % 2 else "sell", "20000", "0.01", channel="api")
        for i in range(5):
            r.trade("binance", "thinlegit", ts("2022-12-24 15:00:00") + timedelta(minutes=i), "AKRO/USDT", "buy",
                    "0.0105", "2000")
        for i in range(3):
            when = ts("2022-12-25 22:35:00") + timedelta(seconds=i)
            r.trade("kucoin", "botuser", when, "AKRO/USDT", "buy", "0.08", "100", channel="api")
            r.bot_order("kucoin", "botuser", when + timedelta(seconds=2), "AKRO/USDT", "buy", "100")
    return ws
