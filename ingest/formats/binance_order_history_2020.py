"""Binance Order History of 2020, where each order row is followed by the rows of its fills.

Three headers are known (the file is an XLSX export, often re-saved as CSV):

* ``Date(UTC),Pair,Type,Order Price,Order Amount,AvgTrading Price,Filled,Total,status`` (no order id);
* ``Date(UTC),OrderNo,Pair,Type,Order Price,Order Amount,AvgTrading Price,Filled,Total,status``;
* ``Date(UTC),Order No.,Pair,Type,Side,Order Price,Order Amount,AvgTrading Price,Filled,Total,Status`` (Type is
  the order type, MARKET or LIMIT, and Side the side; in the first two Type is the side, BUY or SELL).

Under an order row come, in the columns shifted one to the right (the first column empty), a sub-header
``,Date(UTC),Trading Price,Filled,Total,Fee`` and one row per fill: ``,2020-03-19 17:02:52,6236.39,0.041600,
259.43382400,0.01612653BNB``, the fee fused to its asset. The order rows go to ``orders``
(``binance_order_history_2020``); the fill rows to ``trades`` through the companion
``binance_order_history_2020_fills``. A fill belongs to the nearest order row above it; it takes that order's
pair, side and OrderNo. Without an OrderNo (the first header) the fill's ``order_id`` stays empty and the tie is
the file itself: the order and its fills are rows of the same evidence file, the fills' ``source_row`` between
the order's and the next order's.

Shapes: everytrade-io/everytrade-plugins (BSD-3-Clause, ``BinanceBeanV2Test``: first header and sub-rows), a
C# importer found by the code search (first and second headers with their sub-headers), metko21neon/application
``src/assets/orders.ts`` (second header, rows converted from the XLSX) and a JavaScript test
(third header). The fixtures' values are our own.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options

_FIELDS = {  # parameter -> the header's names for it
    "order_no": ("orderno", "order no."),
    "pair": ("pair",),
    "type": ("type",),
    "side": ("side",),
    "order_price": ("order price",),
    "order_amount": ("order amount",),
    "avg_price": ("avgtrading price",),
    "filled": ("filled",),
    "total": ("total",),
    "status": ("status",),
}
_COLUMNS = tuple(f"c{i}" for i in range(1, 12))  # by position: the fill rows use other columns than the orders


def _layout(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The 1-based position of each field in this variant's header (0 when it has none) and its name there."""
    names = [h.strip().lower() for h in head.header]
    out: dict[str, Any] = {}
    for key, spellings in _FIELDS.items():
        pos = next((i + 1 for i, n in enumerate(names) if n in spellings), 0)
        out[f"p_{key}"] = pos
        out[f"n_{key}"] = head.raw_header[pos - 1].strip() if pos else ""
    # a fill row has five fields (positions 2-6); the header's name where a sixth would be, for errors
    out["n_after_fee"] = head.raw_header[6].strip() if len(head.raw_header) > 6 else "extra_7"
    return out


_HEADER = (r"Date\(UTC\),(OrderNo,|Order No\.,)?Pair,Type,(Side,)?Order Price,Order Amount,AvgTrading Price,Filled,"
           r"Total,status(,)*")

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_order_history_2020",
        row_local=False,  # order rows only, each checked against the fills below it
        exchange="binance",
        kind="orders",
        description="Binance Order History 2020 with fill sub-rows, Date(UTC),[OrderNo,]Pair,Type,[Side,]Order Price,"
                    "Order Amount,AvgTrading Price,Filled,Total,status",
        header=_HEADER,
        columns=_COLUMNS,
        time_column="c1",
        params=_layout,
        companions=("binance_order_history_2020_fills",),
    ),
    FormatSpec(
        name="binance_order_history_2020_fills",
        row_local=False,  # the fill rows, each joined to its order row
        exchange="binance",
        kind="trades",
        description="Binance Order History 2020: the fill sub-rows of each order",
        header=r"(?!)",
        columns=_COLUMNS,
        params=_layout,
        companion_only=True,
    ),
]
