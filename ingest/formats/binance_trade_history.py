"""Binance Spot "Trade History": the current export and the 2018-2019 legacy one."""

from __future__ import annotations

from ingest.formats.base import FormatSpec

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_trade_history",
        exchange="binance",
        kind="trades",
        description="Binance Spot Trade History, Date(UTC),Pair,Side,Price,Executed,Amount,Fee",
        header=r"Date\(UTC[^)]*\),Pair,Side,Price,Executed,Amount,Fee",
        time_column="date",
        extra={"time_formats": "%Y-%m-%d %H:%M:%S"},  # one format: 3x faster than a list on big files
    ),
    FormatSpec(
        name="binance_trade_history_legacy",
        exchange="binance",
        kind="trades",
        description="Binance Trade History 2018-2019, Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin",
        header=r"Date\(UTC[^)]*\),Market,Type,Price,Amount,Total,Fee,Fee Coin",
        time_column="date",
    ),
]
