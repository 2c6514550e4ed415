"""Binance public kline files (data.binance.vision): reference prices, one bar per line, no header.

The file name carries what the lines do not: ``BTCUSDT-1m-2022-12.csv`` (or the ``.zip`` it arrives
in) is BTC/USDT in one-minute bars. Columns are ``open_time, open, high, low, close, volume,
close_time, quote_volume, count, taker_buy_volume, taker_buy_quote_volume, ignore``; open times are
epoch milliseconds before 2025 and microseconds from 2025 (told apart by their size). Reference prices
belong to no account.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import InputError
from ingest.convert import KLINE_HEADER, KLINE_NAME
from ingest.formats.assets import split_pair
from ingest.formats.base import FileHead, FormatSpec, Options


def pair_and_interval(name: str) -> tuple[str, str, str]:
    """(base, quote, interval) of a kline file name such as ``BTCUSDT-1m-2022-12.csv``."""
    m = KLINE_NAME.match(name)
    if not m:
        raise InputError("a Binance kline file must keep its name (like BTCUSDT-1m-2022-12.csv): the pair and "
                         "interval are known only from it", file=name)
    split = split_pair(m.group("symbol"))
    if split is None:
        raise InputError(f"the symbol {m.group('symbol')!r} in the file name does not end with a known quote "
                         "asset", file=name)
    interval = "1M" if m.group("interval") == "1mo" else m.group("interval")
    return split[0], split[1], interval


def _params(head: FileHead, options: Options) -> Mapping[str, Any]:
    base, quote, interval = pair_and_interval(head.name)
    return {"kline_pair": f"{base}/{quote}", "kline_interval": interval}


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_klines",
        exchange="binance",
        kind="price_bars",
        description="Binance public klines, BTCUSDT-1m-2022-12.csv (no header; zipped or not)",
        header=",".join(KLINE_HEADER),
        file_name=r"^[A-Z0-9]+-[0-9a-z]+-\d{4}-\d{2}(-\d{2})?\.(csv|zip)$",
        needs_account=False,
        params=_params,
    ),
]
