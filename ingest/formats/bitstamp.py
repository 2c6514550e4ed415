"""Bitstamp transactions export: ``Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type``.

Dates are written ``"Jan. 28, 2022, 12:13 AM"`` (month abbreviations as in AP style: ``Sept.``,
``March``, ``May``), in UTC; amounts carry their asset after a space (``2.00000000 ETH``). ``Market``
(and ``Limit``) rows are trades: Amount is the base, Value the quote, Rate the price, Sub Type the side.
Its companion ``bitstamp_transactions_ledger`` keeps every row as balance changes (a trade as its two
legs and its fee), in the same run. The export names no account: ``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

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
]
