"""Coinbase (retail) transaction history: ``[ID,]Timestamp,Transaction Type,Asset,Quantity Transacted,...``.

Three generations share one SQL file:

* 2024+: ``ID,Timestamp,Transaction Type,Asset,Quantity Transacted,Price Currency,Price at Transaction,
  Subtotal,Total (inclusive of fees and/or spread),Fees and/or Spread,Notes``; times ``2024-03-13
  09:41:27 UTC``; money with symbols and separators (``"$72,304.15"``, ``€351.24``); sells signed.
* ``Spot Price Currency,Spot Price at Transaction,Subtotal,Total (inclusive of fees),Fees``.
* currency-prefixed: ``EUR Spot Price at Transaction,EUR Subtotal,EUR Total (inclusive of fees),EUR Fees``;
  times ``2021-02-08T07:51:33Z``.

Each starts after a preamble (a disclaimer, ``Transactions``, ``User,<name>,<id>``) that sniffing
skips. This format yields the trades: Buy, Sell and Advanced Trade Buy/Sell rows. An Advanced Trade
row's Notes name the real market and price (``... on ETH-BTC at 0.05 BTC/ETH``), which win over the
spot price. Its companion ``coinbase_transactions_ledger`` keeps every row as a balance change of its
asset (sends with the address the Notes name; a Convert as two legs, the second from its Notes), in
the same run. The export names no account id: ``--account``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options

_PREFIX = re.compile(r"^([A-Z]{3}) (Spot Price at Transaction|Subtotal)$")


def _params(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The currency a prefixed header names (``EUR Subtotal`` -> EUR), else NULL."""
    for text in head.header:
        m = _PREFIX.match(text.strip())
        if m:
            return {"coinbase_currency": m.group(1)}
    return {"coinbase_currency": None}


_OPTIONAL = ("id", "price_currency", "spot_price_currency", "price_at_transaction", "subtotal",
             "total_inclusive_of_fees", "total_inclusive_of_fees_and_or_spread", "fees", "fees_and_or_spread")
_TIMES = {"time_formats": ["%Y-%m-%d %H:%M:%S UTC", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%dT%H:%M:%S.%fZ",
                           "%Y-%m-%d %H:%M:%S"]}

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="coinbase_transactions",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="coinbase",
        kind="trades",
        description="Coinbase transaction history, [ID,]Timestamp,Transaction Type,Asset,Quantity Transacted,...",
        header=r"(ID,)?Timestamp,Transaction Type,Asset,Quantity Transacted,"
               r"((Spot )?Price Currency,(Spot )?Price at Transaction|[A-Z]{3} Spot Price at Transaction),"
               r"([A-Z]{3} )?Subtotal,([A-Z]{3} )?Total \(inclusive of fees( and/or spread)?\),"
               r"([A-Z]{3} )?Fees( and/or Spread)?,Notes,?",
        time_column="timestamp",
        optional_columns=_OPTIONAL,
        params=_params,
        extra=_TIMES,
        companions=("coinbase_transactions_ledger",),
    ),
    FormatSpec(
        name="coinbase_transactions_ledger",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="coinbase",
        kind="ledger_movements",
        description="Coinbase transaction history as balance changes",
        header=r"(?!)",
        time_column="timestamp",
        optional_columns=_OPTIONAL,
        params=_params,
        extra=_TIMES,
        companion_only=True,
    ),
]
