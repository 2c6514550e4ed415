"""Binance Convert history: ``Date,[Wallet,]Pair,Type,Sell,Buy,Price,Inverse Price,Date Updated,Status``.

``Sell`` and ``Buy`` are ``"<qty> <asset>"`` (``0.06 ETH``), the pair is fused (``LTCETH``), ``Price`` and
``Inverse Price`` are written ``1 ETH = 27.3084516927144 LTC`` and ``1 LTC = 0.0366187 ETH``. A
successful conversion is one execution: the side is the base asset's (bought = buy), the quantity and
quote quantity the two legs, and the price the one of the two texts that reads ``1 <base> = X <quote>``,
kept exactly (a price with more than 18 decimals is refused, not rounded). Its time is ``Date Updated``
(when it executed; ``Date`` when that is empty), in the zone the header names (``Date(UTC+1)``), else UTC.
Conversions whose Status is not ``Successful`` (failed, expired, processing) moved nothing and are left
out. Convert has no separate fee (the spread is in the price). The export names no account: ``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_convert",
        row_local=False,  # keeps only the successful conversions
        exchange="binance",
        kind="trades",
        description="Binance Convert history, Date,[Wallet,]Pair,Type,Sell,Buy,Price,Inverse Price,Date Updated,Status",
        header=r"Date(\(UTC[^)]*\))?,(Wallet,)?Pair,Type,Sell,Buy,Price,Inverse Price,Date Updated(\(UTC[^)]*\))?,"
               r"Status,?",
        time_column="date",
        optional_columns=("wallet",),
    ),
]
