"""Binance "Transaction History" statement (all balance changes), with and without User_ID."""

from __future__ import annotations

from ingest.formats.base import FormatSpec

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_transaction_statement",
        exchange="binance",
        kind="ledger_movements",
        description="Binance Transaction History statement, User_ID,UTC_Time,Account,Operation,Coin,Change,Remark",
        header=r"(User_ID,)?UTC_Time,Account,Operation,Coin,Change,Remark",
        time_column="utc_time",
        account_column="user_id",
        optional_columns=("user_id",),
        records_trades=True,
    ),
]
