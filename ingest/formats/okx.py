"""OKX exports: the trading-account bills (trades), the funding account, and the 2019 statement.

* Trades/bills: ``id,Order id,Time,Trade Type,Instrument,Type,Amount,Unit,PL,Fee,Position Change,
  Position Balance,Balance Change,Balance,Unit``: the header repeats ``Unit`` (the second one is the
  balance's unit) and may start with a BOM. One spot fill is two rows sharing ``id`` (the Buy leg in
  the bought asset, the Sell leg in the paid one); each row is one ledger movement of ``Balance
  Change`` in the second Unit, linked by ``ref_id`` = id; the fee (negative in the file) is kept
  as its absolute value.
* Trading history 2023+ (``okx_trade_history``, into ``trades``): ``id,Order id,Time,Trade Type,Symbol,
  Action,Amount,Trading Unit,Filled Price,PnL,Fee,Fee Unit,Position Change,Position Balance,Balance Change,
  Balance,Balance Unit`` (2025); 2023 adds ``Filled Price Unit`` after Filled Price and ``Position Unit``
  after Position Balance; some files end with USD columns (``Filled_price-USD,...``). A preamble line
  ``UID:<uid>,Account Type:Main,Time Zone:UTC+8`` above the header names the account and the zone of
  the times; some files put a BOM before every field of every line. One fill is two rows (a leg per
  asset, see the SQL); the companion ``okx_trade_history_ledger`` stores every row as a balance change.
* Funding: ``id,Time,Type,Amount,Before Balance,After Balance,Fee,Symbol``; the 2025 export has no Fee
  column, may have the same preamble, and writes amounts like ``-0.011478630000000000`` and ``0E-18``.
* Trade history 2020 (``okx_trade_history_2020``, OKEx, into ``trades``): ``Order ID,Trade ID,Trade Time,Pairs,
  Amount,Price,Total,taker/maker,Fee,unit`` (a short variant lacks Order ID and taker/maker), a BOM before
  every field of the header and of the rows, CRLF and LF line ends mixed. One row is one fill: ``ltc_usdt``
  pairs, a signed Amount in the base asset (negative = sold), ``Total`` as ``-104.976405810000002816 USDT``
  and ``Fee`` as ``-0.0034105395 LTC`` (kept as absolute values, exactly as written). Its times name no zone
  and are read as UTC. The shape is known from a third-party importer's test (everytrade-io/everytrade-plugins,
  BSD-3-Clause, ``OkexBeanV1Test``); the fixture's values are our own.
* 2019: ``time,type,size,balance,fee,currency`` with times like ``2019-06-15 20:00:00 CST``, where
  CST is China Standard Time (Asia/Shanghai, UTC+8), not US Central.

Times without a zone (no preamble) are read as UTC. Only the preamble names the account; without it,
``--account``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options

_UID = re.compile(r"(?:^|,)\s*UID\s*[:,]\s*(\d+)", re.IGNORECASE)
_ZONE = re.compile(r"Time\s*Zone\s*:\s*(?:UTC|GMT)\s*(?:([+-])\s*(\d{1,2})(?::?(\d{2}))?)?", re.IGNORECASE)


def _preamble(head: FileHead, options: Options) -> Mapping[str, Any]:
    """The UID and zone the line above the header names (``UID:123,Account Type:Main,Time Zone:UTC+8``)."""
    text = " ".join(head.preamble).replace("\ufeff", "")
    uid = _UID.search(text)
    zone = _ZONE.search(text)
    offset = 0
    if zone and zone.group(1):
        offset = int(zone.group(2)) * 60 + int(zone.group(3) or 0)
        offset = offset if zone.group(1) == "+" else -offset
    return {"okx_uid": uid.group(1) if uid else None, "offset_minutes": offset}


_HISTORY = (r"id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,Filled Price,(Filled Price Unit,)?PnL,"
            r"Fee,Fee Unit,Position Change,Position Balance,(Position Unit,)?Balance Change,Balance,Balance Unit"
            r"(,[^,]*)*")

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="okx_trades",
        exchange="okx",
        kind="ledger_movements",
        description="OKX trading bills, id,Order id,Time,Trade Type,Instrument,Type,Amount,Unit,PL,Fee,...,Balance,Unit",
        header=r"id,Order id,Time,Trade Type,Instrument,Type,Amount,Unit,PL,Fee,Position Change,Position Balance,"
               r"Balance Change,Balance,Unit,?",
        time_column="time",
        records_trades=True,
    ),
    FormatSpec(
        name="okx_trade_history",
        row_local=False,  # pairs the two legs of each fill
        exchange="okx",
        kind="trades",
        description="OKX trading history 2023+, id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,"
                    "Filled Price,...,Balance Unit",
        header=_HISTORY,
        time_column="time",
        params=_preamble,
        companions=("okx_trade_history_ledger",),
    ),
    FormatSpec(
        name="okx_trade_history_ledger",
        exchange="okx",
        kind="ledger_movements",
        description="OKX trading history 2023+ as balance changes",
        header=r"(?!)",
        time_column="time",
        params=_preamble,
        companion_only=True,
    ),
    FormatSpec(
        name="okx_funding",
        exchange="okx",
        kind="ledger_movements",
        description="OKX funding account, id,Time,Type,Amount,Before Balance,After Balance,[Fee,]Symbol",
        header=r"id,(,)?Time,Type,Amount,Before Balance,After Balance,(Fee,)?Symbol,?",
        time_column="time",
        optional_columns=("fee",),
        params=_preamble,
    ),
    FormatSpec(
        name="okx_trade_history_2020",
        exchange="okx",
        kind="trades",
        description="OKEx trade history 2020, [Order ID,]Trade ID,Trade Time,Pairs,Amount,Price,Total,[taker/maker,]"
                    "Fee,unit (a BOM before every field)",
        header=r"(Order ID,)?Trade ID,Trade Time,Pairs,Amount,Price,Total,(taker/maker,)?Fee,unit,?",
        optional_columns=("order_id", "taker_maker"),
        time_column="trade_time",
    ),
    FormatSpec(
        name="okx_statement_2019",
        exchange="okx",
        kind="ledger_movements",
        description="OKX (OKEx) statement 2019, time,type,size,balance,fee,currency (CST = Asia/Shanghai)",
        header=r"time,type,size,balance,fee,currency,?",
        time_column="time",
        records_trades=True,
    ),
]
