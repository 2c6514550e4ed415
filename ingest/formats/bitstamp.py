"""Bitstamp transactions export: ``Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type``.

Dates are written ``"Jan. 28, 2022, 12:13 AM"`` (month abbreviations as in AP style: ``Sept.``,
``March``, ``May``), in UTC; amounts carry their asset after a space (``2.00000000 ETH``). ``Market``
(and ``Limit``) rows are trades: Amount is the base, Value the quote, Rate the price, Sub Type the side.
Its companion ``bitstamp_transactions_ledger`` keeps every row as balance changes (a trade as its two
legs and its fee), in the same run. The export names no account: ``--account``.

The 2025 layout (``bitstamp_transactions_2025``) puts each currency in its own column:
``ID,Account,Type,Subtype,Datetime,Amount,Amount currency,Value,Value currency,Rate,Rate currency,Fee,
Fee currency,Order ID``, with ISO 8601 times (``2025-02-03T09:30:05Z``), unsigned amounts, the row's ID
(kept as the trade id) and the Order ID (empty for old trades and non-trades). Its companion
``bitstamp_transactions_2025_ledger`` keeps every row as balance changes, as above.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

_ISO_Z = {"time_formats": ["%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ"]}

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="bitstamp_transactions",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="bitstamp",
        kind="trades",
        description="Bitstamp transactions, Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type",
        header=r"Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type,?",
        time_column="datetime",
        companions=("bitstamp_transactions_ledger",),
    ),
    FormatSpec(
        name="bitstamp_transactions_ledger",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="bitstamp",
        kind="ledger_movements",
        description="Bitstamp transactions as balance changes",
        header=r"(?!)",
        time_column="datetime",
        companion_only=True,
    ),
    FormatSpec(
        name="bitstamp_transactions_2025",
        row_local=False,  # keeps only the trade rows
        exchange="bitstamp",
        kind="trades",
        description="Bitstamp transactions 2025, ID,Account,Type,Subtype,Datetime,Amount,Amount currency,Value,...,"
                    "Order ID",
        header=r"ID,Account,Type,Subtype,Datetime,Amount,Amount currency,Value,Value currency,Rate,Rate currency,"
               r"Fee,Fee currency,Order ID,?",
        time_column="datetime",
        extra=_ISO_Z,
        companions=("bitstamp_transactions_2025_ledger",),
    ),
    FormatSpec(
        name="bitstamp_transactions_2025_ledger",
        row_local=False,  # a trade row becomes two or three movements
        exchange="bitstamp",
        kind="ledger_movements",
        description="Bitstamp transactions 2025 as balance changes",
        header=r"(?!)",
        time_column="datetime",
        extra=_ISO_Z,
        companion_only=True,
    ),
]
