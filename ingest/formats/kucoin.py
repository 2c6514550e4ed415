"""KuCoin exports: trade histories (v3, 2019 legacy, order-splitting), orders, deposits, withdrawals and
account history, Convert. A header with a zone (``Time(UTC+08:00)``) says it; no zone means Asia/Singapore
(UTC+8, no daylight saving), as KuCoin's own exports did. An empty report holds "No matching records found.".

The "Bundle" export reorders the deposit and withdrawal columns (``...,Time(UTC+hh:mm),Remarks,Status,Fee,
Amount,Coin,Transfer Network[,Withdrawal Address/Account]``); the SQL reads columns by name, so only the
header differs. The order-splitting export comes with and without ``Tax``. A Convert row
(``****4228,mainAccount,TRADE,10285.1148 KAS,16272.9897 DOGE,1 KAS=1.5821884360493477 DOGE,...,SUCCESS``)
names no pair: it is stored as a sell of the Sell asset for the Buy asset at the export's own
``1 <sell> = X <buy>`` price, exactly; only ``SUCCESS`` rows moved anything.

The trade histories before 2020 come in three layouts, known from BittyTax's KuCoin parser
(``src/bittytax/conv/parsers/kucoin.py``, "KuCoin Trades" v4, v2 and v1; no sample file was found):
``oid,symbol,dealPrice,dealValue,amount,fee,direction,createdDate,`` (a trailing empty column),
``uid,symbol,order_type,price,amount_coin,direction,funds,fee,created_at`` and
``uid,symbol,direction,deal_price,amount,deal_value,created_at`` (no fee). ``symbol`` is ``BASE-QUOTE``, the
direction ``buy``/``sell`` in any case, the fee in the quote asset (as that parser reads it), the times
Asia/Singapore. ``oid`` is the order id; what ``uid`` identifies is not documented, so it is not taken as
the account (``--account`` names it).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options

SINGAPORE = 8 * 60
_Z = r"(\(UTC[^)]*\))?"
_LEGACY_TIMES = ("%Y/%m/%d %H:%M:%S", "%Y/%m/%d %H:%M", "%Y-%m-%d %H:%M:%S")


def _own_names(canonical: tuple[str, ...]) -> Callable[[FileHead, Options], Mapping[str, Any]]:
    """Params ``h_<name>``: the file's own header text of each column the spec renames (for the errors)."""
    def params(head: FileHead, options: Options) -> Mapping[str, Any]:
        own = dict(zip(canonical, head.raw_header, strict=False))
        return {f"h_{c}": own.get(c, c) for c in ("symbol", "side", "price", "quantity", "quote", "fee")}
    return params


_OID = ("order_ref", "symbol", "price", "quote", "quantity", "fee", "side", "time")
_UID_V2 = ("user_ref", "symbol", "order_type", "price", "quantity", "side", "quote", "fee", "time")
_UID_V1 = ("user_ref", "symbol", "side", "price", "quantity", "quote", "time")
_OLD_OPTIONAL = ("order_ref", "user_ref", "order_type", "fee")


def _deposit(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"direction": "deposit"}


def _withdrawal(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"direction": "withdrawal"}


_TRANSFER_OPTIONAL = ("hash", "deposit_address", "withdrawal_address_account")

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="kucoin_trade_history_v3",
        exchange="kucoin",
        kind="trades",
        description="KuCoin trade history v3, tradeCreatedAt,orderId,symbol,side,price,size,funds,fee,liquidity,"
                    "feeCurrency,orderType (also rotki's minimal header)",
        header=r"tradeCreatedAt,(orderId,)?symbol,side,price,size,funds,fee,(liquidity,)?feeCurrency(,orderType)?,?",
        time_column="tradecreatedat",
        optional_columns=("orderid", "liquidity", "ordertype"),
        default_offset_minutes=SINGAPORE,
    ),
    FormatSpec(
        name="kucoin_trade_history_legacy",
        exchange="kucoin",
        kind="trades",
        description="KuCoin trade history 2019, Time,Pair,Side,FilledPrice,FilledPriceCoin,Amount,AmountCoin,"
                    "Volume,VolumeCoin,Fee,FeeCoin",
        header=r"Time,Pair,Side,FilledPrice,FilledPriceCoin,Amount,AmountCoin,Volume,VolumeCoin,Fee,FeeCoin,?",
        time_column="time",
        default_offset_minutes=SINGAPORE,
        extra={"time_formats": _LEGACY_TIMES},
    ),
    FormatSpec(
        name="kucoin_trade_history_2018_oid",
        exchange="kucoin",
        kind="trades",
        description="KuCoin trade history before 2020, oid,symbol,dealPrice,dealValue,amount,fee,direction,createdDate,",
        header=r"oid,symbol,dealPrice,dealValue,amount,fee,direction,createdDate,?",
        sql="kucoin_trade_history_2018.sql",
        columns=_OID,
        optional_columns=_OLD_OPTIONAL,
        time_column="time",
        default_offset_minutes=SINGAPORE,
        params=_own_names(_OID),
        extra={"time_formats": _LEGACY_TIMES},
    ),
    FormatSpec(
        name="kucoin_trade_history_2018_uid",
        exchange="kucoin",
        kind="trades",
        description="KuCoin trade history before 2020, uid,symbol,order_type,price,amount_coin,direction,funds,fee,"
                    "created_at",
        header=r"uid,symbol,order_type,price,amount_coin,direction,funds,fee,created_at,?",
        sql="kucoin_trade_history_2018.sql",
        columns=_UID_V2,
        optional_columns=_OLD_OPTIONAL,
        time_column="time",
        default_offset_minutes=SINGAPORE,
        params=_own_names(_UID_V2),
        extra={"time_formats": _LEGACY_TIMES},
    ),
    FormatSpec(
        name="kucoin_trade_history_2018_uid_no_fee",
        exchange="kucoin",
        kind="trades",
        description="KuCoin trade history before 2020 (no fee), uid,symbol,direction,deal_price,amount,deal_value,"
                    "created_at",
        header=r"uid,symbol,direction,deal_price,amount,deal_value,created_at,?",
        sql="kucoin_trade_history_2018.sql",
        columns=_UID_V1,
        optional_columns=_OLD_OPTIONAL,
        time_column="time",
        default_offset_minutes=SINGAPORE,
        params=_own_names(_UID_V1),
        extra={"time_formats": _LEGACY_TIMES},
    ),
    FormatSpec(
        name="kucoin_filled_orders",
        exchange="kucoin",
        kind="orders",
        description="KuCoin Spot Orders / Filled Orders, UID,Account Type,Order ID,Order Time(UTC+hh:mm),Symbol,"
                    "Side,...,Filled Time,Fee,Fee Currency,[Tax,]Status",
        header=r"UID,Account Type,Order ID,Order Time" + _Z + r",Symbol,Side,Order Type,Order Price,Order Amount,"
               r"Avg\. Filled Price,Filled Amount,Filled Volume,Filled Volume \(USDT\),Filled Time" + _Z +
               r",Fee,Fee Currency(,Tax)?,Status(,Account Mode)?,?",
        time_column="order_time",
        account_column="uid",
        optional_columns=("tax", "account_mode"),
        default_offset_minutes=SINGAPORE,
    ),
    FormatSpec(
        name="kucoin_order_splitting",
        exchange="kucoin",
        kind="trades",
        description="KuCoin order-splitting (fills), UID,Account Type,Order ID,Symbol,Side,Order Type,"
                    "Avg. Filled Price,Filled Amount,...,Maker/Taker,Fee Currency",
        header=r"UID,Account Type,Order ID,Symbol,Side,Order Type,Avg\. Filled Price,Filled Amount,Filled Volume,"
               r"Filled Volume \(USDT\),Filled Time" + _Z + r",Fee,(Tax,)?Maker/Taker,Fee Currency(,Account Mode)?,?",
        time_column="filled_time",
        account_column="uid",
        optional_columns=("tax", "account_mode"),
        default_offset_minutes=SINGAPORE,
    ),
    FormatSpec(
        name="kucoin_orders_v3",
        exchange="kucoin",
        kind="orders",
        description="KuCoin order history v3, orderCreatedAt,id,clientOid,symbol,side,type,...,tags,orderStatus",
        header=r"orderCreatedAt,id,clientOid,symbol,side,type,stopPrice,price,size,dealSize,dealFunds,"
               r"averagePrice,fee,feeCurrency,remark,tags,orderStatus,?",
        time_column="ordercreatedat",
        default_offset_minutes=SINGAPORE,
    ),
    FormatSpec(
        name="kucoin_deposits",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin deposit history, UID,Account Type,Time(UTC+hh:mm),Coin,Amount,Fee,Hash,"
                    "Deposit Address,Transfer Network,Status,Remarks",
        header=r"UID,Account Type,Time" + _Z + r",Coin,Amount,Fee,(Hash,)?Deposit Address,Transfer Network,"
               r"Status,Remarks,?",
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_deposit,
    ),
    FormatSpec(
        name="kucoin_withdrawals",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin withdrawal history, UID,Account Type,Time(UTC+hh:mm),Coin,Amount,Fee,Hash,"
                    "Withdrawal Address/Account,Transfer Network,Status,Remarks",
        header=r"UID,Account Type,Time" + _Z + r",Coin,Amount,Fee,(Hash,)?Withdrawal Address/Account,"
               r"Transfer Network,Status,Remarks,?",
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_withdrawal,
    ),
    FormatSpec(
        name="kucoin_deposits_bundle",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin deposit history (Bundle export), UID,Account Type,Time(UTC+hh:mm),Remarks,Status,Fee,"
                    "Amount,Coin,Transfer Network",
        header=r"UID,Account Type,Time" + _Z + r",Remarks,Status,Fee,Amount,Coin,Transfer Network,?",
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_deposit,
    ),
    FormatSpec(
        name="kucoin_withdrawals_bundle",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin withdrawal history (Bundle export), UID,Account Type,Time(UTC+hh:mm),Remarks,Status,Fee,"
                    "Amount,Coin,Transfer Network,Withdrawal Address/Account",
        header=r"UID,Account Type,Time" + _Z + r",Remarks,Status,Fee,Amount,Coin,Transfer Network,"
               r"Withdrawal Address/Account,?",
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_withdrawal,
    ),
    FormatSpec(
        name="kucoin_convert",
        row_local=False,  # keeps only the successful conversions
        exchange="kucoin",
        kind="trades",
        description="KuCoin Convert history, UID,Account Type,Payment Account,Sell,Buy,Price,[Tax,]"
                    "Time of Update(UTC+hh:mm),Status",
        header=r"UID,Account Type,Payment Account,Sell,Buy,Price,(Tax,)?Time of Update" + _Z + r",Status,?",
        time_column="time_of_update",
        account_column="uid",
        optional_columns=("tax",),
        default_offset_minutes=SINGAPORE,
    ),
    FormatSpec(
        name="kucoin_deposits_short",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin deposit history without hash and address, UID,Account Type,Time(UTC+hh:mm),Coin,Amount,"
                    "Fee,Transfer Network,Status,Remarks",
        # known by its header alone: KuCoin's withdrawal lists always name the destination (Withdrawal
        # Address/Account), so this address-less header is its deposit list (BittyTax reads it so too) whatever
        # the file is called (export.csv); only a file named for withdrawals is read as those, below
        header=r"UID,Account Type,Time" + _Z + r",Coin,Amount,Fee,Transfer Network,Status,Remarks,?",
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_deposit,
    ),
    FormatSpec(
        name="kucoin_withdrawals_short",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin withdrawal history without hash and address (file name says withdraw)",
        header=r"UID,Account Type,Time" + _Z + r",Coin,Amount,Fee,Transfer Network,Status,Remarks,?",
        file_name=r"withdraw",
        priority=1,  # before kucoin_deposits_short, which has the same header and no file name
        sql="kucoin_deposit_withdrawal.sql",
        time_column="time",
        account_column="uid",
        optional_columns=_TRANSFER_OPTIONAL,
        default_offset_minutes=SINGAPORE,
        params=_withdrawal,
    ),
    FormatSpec(
        name="kucoin_account_history",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin account history, UID,Account Type,Currency,Side,Amount,Fee,Time(UTC+hh:mm),Remark[,Type]",
        header=r"UID,Account Type,Currency,Side,Amount,Fee,Time" + _Z + r",Remark(,Type)?,?",
        time_column="time",
        account_column="uid",
        optional_columns=("type",),
        default_offset_minutes=SINGAPORE,
        records_trades=True,
    ),
    FormatSpec(
        name="kucoin_transfers_legacy",
        exchange="kucoin",
        kind="ledger_movements",
        description="KuCoin older deposits/withdrawals, Time,Coin,Network,Amount,Type,Remark,Fee "
                    "(or ...,Type,Wallet Address/Account,Remark)",
        header=r"Time,Coin,Network,Amount,Type,(Remark,Fee|Wallet Address/Account,Remark),?",
        time_column="time",
        optional_columns=("fee", "wallet_address_account"),
        default_offset_minutes=SINGAPORE,
        extra={"time_formats": _LEGACY_TIMES},
    ),
]
