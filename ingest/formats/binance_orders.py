"""Binance Spot "Order History" (2021 and the newer footnoted variant whose zone is in the file name).

``binance_order_history_single_time`` is the variant with one time column only (no fill time):
``Date(UTC+8),OrderNo,Pair,Type,Side,Order Price,Order Amount,Executed,Average Price,Trading total,Status``.
Its header is known from a third-party importer's test of Binance order-history files (a Node test of
``parseTradesCsv``, "Binance order history: Side preferred over Type", found by the code search; values not
copied); the zone of its header (``UTC+8``) is applied like every ``Date(UTC+N)`` header's. Its orders
have no update time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options, header_offset_minutes, offset_from_name

_COLUMNS = ("time", "orderno", "pair", "type", "side", "order_price", "order_amount", "time_2", "executed",
            "average_price", "trading_total", "status")


def _zone(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The newer export writes plain `Time` and puts the zone in the file name: `...(UTC+2)-part1-of1.csv`."""
    from_header = header_offset_minutes(head.raw_header, default=10_000)
    if from_header != 10_000:
        return {"offset_minutes": from_header}
    return {"offset_minutes": offset_from_name(head.name, 0)}


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_order_history",
        exchange="binance",
        kind="orders",
        description="Binance Spot Order History, Date(UTC)|Time,OrderNo,Pair,Type,Side,Order Price,Order Amount,"
                    "Time,Executed,Average Price,Trading total,Status",
        header=r"(Date\(UTC[^)]*\)|Time(\(UTC[^)]*\))?),OrderNo,Pair,Type,Side,Order Price,Order Amount,"
               r"Time(\(UTC[^)]*\))?,Executed,Average Price,Trading total,Status",
        columns=_COLUMNS,
        time_column="time",
        params=_zone,
    ),
    FormatSpec(
        name="binance_order_history_single_time",
        exchange="binance",
        kind="orders",
        description="Binance Spot Order History with one time column, Date(UTC+8),OrderNo,Pair,Type,Side,Order Price,"
                    "Order Amount,Executed,Average Price,Trading total,Status",
        header=r"(Date\(UTC[^)]*\)|Time(\(UTC[^)]*\))?),OrderNo,Pair,Type,Side,Order Price,Order Amount,Executed,"
               r"Average Price,Trading total,Status",
        sql="binance_order_history.sql",
        columns=tuple(c for c in _COLUMNS if c != "time_2"),
        optional_columns=("time_2",),
        time_column="time",
        params=_zone,
    ),
]
