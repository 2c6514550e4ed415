"""Coinbase Pro (later Coinbase Exchange / Advanced Trade): the fills report and the account statement.

* Fills: ``portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total
  unit``. ``total`` is signed (negative for a buy: what left the account, fee included), so the
  quote amount is ``-total - fee`` for a buy and ``total + fee`` for a sell, exactly.
* Account statement: ``Portfolio,Type,Timestamp,Amount,Balance,Amount/balance unit,Transfer id,Trade
  id,Order id``; one trade is two ``match`` rows and one ``fee`` row sharing the Trade id, kept as
  ledger movements linked by ``ref_id``.

Times are ISO 8601 UTC with milliseconds and ``Z``. Neither report names the account: ``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

ISO_Z = ["%Y-%m-%dT%H:%M:%S.%fZ", "%Y-%m-%dT%H:%M:%SZ", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"]

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="coinbasepro_fills",
        exchange="coinbase",
        kind="trades",
        description="Coinbase Pro fills, portfolio,trade id,product,side,created at,size,size unit,price,fee,total,"
                    "price/fee/total unit",
        header=r"portfolio,trade id,product,side,created at,size,size unit,price,fee,total,price/fee/total unit,?",
        time_column="created_at",
        extra={"time_formats": ISO_Z},
    ),
    FormatSpec(
        name="coinbasepro_account",
        exchange="coinbase",
        kind="ledger_movements",
        description="Coinbase Pro account statement, Portfolio,Type,Timestamp,Amount,Balance,Amount/balance unit,"
                    "Transfer id,Trade id,Order id",
        header=r"portfolio,type,time(stamp)?,amount,balance,amount/balance unit,transfer id,trade id,order id,?",
        time_column="timestamp",
        optional_columns=("timestamp", "time"),
        extra={"time_formats": ISO_Z},
        records_trades=True,
    ),
]
