"""Binance deposit and withdrawal histories, v1 (direction only in the file name) and v2 (XLSX)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from core.errors import InputError
from ingest.formats.base import FileHead, FormatSpec, Options

_V1 = (r"Date(\(UTC[^)]*\))?,Coin,(Network,)?Amount,TransactionFee,Address,TXID,SourceAddress,PaymentID,Status")
_TWO_DIGIT_YEAR = ["%y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S", "%y-%m-%d %H:%M", "%Y-%m-%d %H:%M"]


def _deposit(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"direction": "deposit"}


def _withdrawal(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"direction": "withdrawal"}


def _undirected(head: FileHead, options: Options) -> Mapping[str, Any]:
    raise InputError("this Binance deposit/withdrawal history (v1) says whether it lists deposits or "
                     "withdrawals only in its file name, and this name says neither; rename it to contain "
                     "'deposit' or 'withdraw' as Binance named it", file=head.name)


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_deposit_history_v1",
        exchange="binance",
        kind="ledger_movements",
        description="Binance deposit history v1 (file name says deposit), Date(UTC),Coin,Network,Amount,"
                    "TransactionFee,Address,TXID,SourceAddress,PaymentID,Status",
        header=_V1,
        file_name=r"deposit",
        sql="binance_deposit_withdrawal.sql",
        time_column="date",
        optional_columns=("network", "fee"),
        params=_deposit,
        priority=1,
    ),
    FormatSpec(
        name="binance_withdrawal_history_v1",
        exchange="binance",
        kind="ledger_movements",
        description="Binance withdrawal history v1 (file name says withdraw), same header as the deposits",
        header=_V1,
        file_name=r"withdraw",
        sql="binance_deposit_withdrawal.sql",
        time_column="date",
        optional_columns=("network", "fee"),
        params=_withdrawal,
        priority=1,
    ),
    FormatSpec(
        name="binance_transfer_history_v1_unnamed",
        exchange="binance",
        kind="ledger_movements",
        description="Binance deposit/withdrawal v1 whose file name does not say which (refused)",
        header=_V1,
        sql="binance_deposit_withdrawal.sql",
        params=_undirected,
        priority=0,
    ),
    FormatSpec(
        name="binance_deposit_history_v2",
        exchange="binance",
        kind="ledger_movements",
        description="Binance deposit history v2, Date(UTC+0),Coin,Network,Amount,Address,TXID,Status",
        header=r"Date\(UTC[^)]*\),Coin,Network,Amount,Address,TXID,Status",
        sql="binance_deposit_withdrawal.sql",
        time_column="date",
        optional_columns=("transactionfee", "fee", "sourceaddress", "paymentid"),
        params=_deposit,
        extra={"time_formats": _TWO_DIGIT_YEAR},
    ),
    FormatSpec(
        name="binance_withdrawal_history_v2",
        exchange="binance",
        kind="ledger_movements",
        description="Binance withdrawal history v2, Date(UTC+0),Coin,Network,Amount,Fee,Address,TXID,Status",
        header=r"Date\(UTC[^)]*\),Coin,Network,Amount,Fee,Address,TXID,Status",
        sql="binance_deposit_withdrawal.sql",
        time_column="date",
        optional_columns=("transactionfee", "sourceaddress", "paymentid"),
        params=_withdrawal,
        extra={"time_formats": _TWO_DIGIT_YEAR},
    ),
]
