"""KuCoin REST API responses (JSON), turned into rows by :mod:`ingest.convert`.

* ``GET /api/v1/fills``: fills with ``counterOrderId``, the counterparty's order, and ``liquidity``;
* ``GET /api/v1/orders``: orders with ``channel`` (``API`` against web/app) and ``tags`` (a broker or
  partner tag such as ``partner:ccxt``), which show an order came through an API key;
* ``GET /api/v1/market/candles``: reference prices, ``[time_sec, open, close, high, low, volume,
  turnover]`` (note the order **open, close, high, low**); the symbol and interval come from the
  recorded endpoint (``?type=1hour&symbol=BTC-USDT``) or the file name.

One file may hold one response, a list of items, or several recorded responses keyed by endpoint; its
fills, orders and candles are merged in one transaction (the fills format with its two companions).
Times are epoch milliseconds (candles: seconds), UTC. Fills and orders name no account: ``--account``.
"""

from __future__ import annotations

from ingest.convert import KUCOIN_COLUMNS
from ingest.formats.base import FormatSpec

_HEADER = ",".join(KUCOIN_COLUMNS)

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="kucoin_api_fills",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="kucoin",
        kind="trades",
        description="KuCoin REST API JSON (fills, orders, candles)",
        header=_HEADER,
        companions=("kucoin_api_orders", "kucoin_api_candles"),
    ),
    FormatSpec(
        name="kucoin_api_orders",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="kucoin",
        kind="orders",
        description="KuCoin REST API orders",
        header=_HEADER,
        companion_only=True,
    ),
    FormatSpec(
        name="kucoin_api_candles",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="kucoin",
        kind="price_bars",
        description="KuCoin REST API candles",
        header=_HEADER,
        companion_only=True,
        needs_account=False,
    ),
]
