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
    # the 2024 export renamed the first two columns; its times are UTC like the older ones' UTC_Time
    FormatSpec(
        name="binance_transaction_statement_2024",
        exchange="binance",
        kind="ledger_movements",
        description="Binance Transaction History statement (2024), User ID,Time,Account,Operation,Coin,Change,Remark",
        header=r"User ID,Time,Account,Operation,Coin,Change,Remark",
        sql="binance_transaction_statement.sql",
        columns=("user_id", "utc_time", "account", "operation", "coin", "change", "remark"),
        time_column="utc_time",
        account_column="user_id",
        records_trades=True,
    ),
]
