"""OKX exports: the trading-account bills (trades), the funding account, and the 2019 statement.

* Trades/bills: ``id,Order id,Time,Trade Type,Instrument,Type,Amount,Unit,PL,Fee,Position Change,
  Position Balance,Balance Change,Balance,Unit``: the header repeats ``Unit`` (the second one is the
  balance's unit) and may start with a BOM. One spot fill is two rows sharing ``id`` (the Buy leg in
  the bought asset, the Sell leg in the paid one); each row is one ledger movement of ``Balance
  Change`` in the second Unit, linked by ``ref_id`` = id; the fee (negative in the file) is kept
  as its absolute value.
* Funding: ``id,Time,Type,Amount,Before Balance,After Balance,Fee,Symbol``.
* 2019: ``time,type,size,balance,fee,currency`` with times like ``2019-06-15 20:00:00 CST``, where
  CST is China Standard Time (Asia/Shanghai, UTC+8), not US Central.

Times without a zone are read as UTC. None of the files names the account: ``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

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
        name="okx_funding",
        exchange="okx",
        kind="ledger_movements",
        description="OKX funding account, id,Time,Type,Amount,Before Balance,After Balance,Fee,Symbol",
        header=r"id,(,)?Time,Type,Amount,Before Balance,After Balance,Fee,Symbol,?",
        time_column="time",
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
