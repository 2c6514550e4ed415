"""FTX exports (the exchange closed in November 2022; its users' exports are evidence in the October
2022 DMG case): trades, deposits and withdrawals, each in the web export's and the API's spelling.

Times are ISO 8601 with an offset (``2022-10-20T22:41:07.412855+00:00``). Spot markets are
``BASE/QUOTE``; a perpetual or dated future (``BTC-PERP``, ``BTC-0325``) is stored with the contract
as its base and USD as its quote, since FTX settled them in USD. A negative fee is a rebate. Deposits
and withdrawals keep every status (an investigator filters ``status IN ('complete', 'confirmed')``).
The exports carry no account id: ``--account`` is required.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

# The web and API spellings share one SQL file each; the columns one spelling lacks are added as NULL.
_TRADE_VARIANTS = ("twap", "order_type", "type", "fee_currency", "feecurrency")
_DEPOSIT_VARIANTS = ("extra_1", "id", "amount", "size", "additional_info", "additionalinfo",
                     "transaction_id", "txid")
_WITHDRAWAL_VARIANTS = ("extra_1", "id", "amount", "size", "destination", "address", "transaction_id", "txid")

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="ftx_trades",
        exchange="ftx",
        kind="trades",
        description="FTX trades, ID,Time,Market,Side,Order Type,Size,Price,Total,Fee,Fee Currency[,TWAP]",
        header=r"ID,Time,Market,Side,Order Type,Size,Price,Total,Fee,Fee Currency(,TWAP)?,?",
        time_column="time",
        optional_columns=_TRADE_VARIANTS,
    ),
    FormatSpec(
        name="ftx_trades_api",
        exchange="ftx",
        kind="trades",
        description="FTX trades (API spelling), id,time,market,side,type,size,price,total,fee,feeCurrency",
        header=r"id,time,market,side,type,size,price,total,fee,feeCurrency,?",
        sql="ftx_trades.sql",
        time_column="time",
        optional_columns=_TRADE_VARIANTS,
    ),
    FormatSpec(
        name="ftx_deposits",
        exchange="ftx",
        kind="ledger_movements",
        description="FTX deposits, ,Time,Coin,Amount,Status,Additional info,Transaction ID",
        header=r",Time,Coin,Amount,Status,Additional info,Transaction ID,?",
        time_column="time",
        optional_columns=_DEPOSIT_VARIANTS,
    ),
    FormatSpec(
        name="ftx_deposits_api",
        exchange="ftx",
        kind="ledger_movements",
        description="FTX deposits (API spelling), id,time,coin,size,status,additionalInfo,txid[,_delete]",
        header=r"id,time,coin,size,status(,additionalInfo)?,txid(,_delete)?,?",
        sql="ftx_deposits.sql",
        time_column="time",
        optional_columns=_DEPOSIT_VARIANTS,
    ),
    FormatSpec(
        name="ftx_withdrawals",
        exchange="ftx",
        kind="ledger_movements",
        description="FTX withdrawals, ,Time,Coin,Amount,Destination,Status,Transaction ID,fee",
        header=r",?Time,Coin,Amount,Destination,Status,Transaction ID,fee,?",
        time_column="time",
        optional_columns=_WITHDRAWAL_VARIANTS,
    ),
    FormatSpec(
        name="ftx_withdrawals_api",
        exchange="ftx",
        kind="ledger_movements",
        description="FTX withdrawals (API spelling), time,coin,size,address,status,txid,fee,id",
        header=r"time,coin,size,address,status,txid,fee,id,?",
        sql="ftx_withdrawals.sql",
        time_column="time",
        optional_columns=_WITHDRAWAL_VARIANTS,
    ),
]
