"""Frozen records that cross package lines. Amounts are Decimal, times are aware UTC datetimes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal


@dataclass(frozen=True)
class Trade:
    """One fill, as the canonical ``trades`` table holds it."""

    exchange: str
    account: str
    time_utc: datetime
    pair: str               # BASE/QUOTE
    side: str               # buy | sell
    price: Decimal
    quantity: Decimal
    quote_quantity: Decimal
    fee: Decimal | None
    fee_asset: str | None
    order_id: str | None = None
    trade_id: str | None = None
    counter_order_id: str | None = None
    channel: str | None = None
    liquidity: str | None = None

    @property
    def base_asset(self) -> str:
        return self.pair.split("/")[0]

    @property
    def quote_asset(self) -> str:
        return self.pair.split("/")[1]


@dataclass(frozen=True)
class Order:
    exchange: str
    account: str
    order_id: str | None
    created_utc: datetime
    pair: str
    side: str
    order_type: str | None
    order_price: Decimal | None
    order_quantity: Decimal | None
    filled_quantity: Decimal | None
    filled_quote: Decimal | None
    avg_price: Decimal | None
    fee: Decimal | None
    fee_asset: str | None
    status: str | None
    updated_utc: datetime | None = None
    avg_price_text: str | None = None
    channel: str | None = None
    tags: str | None = None


@dataclass(frozen=True)
class LedgerMovement:
    exchange: str
    account: str
    time_utc: datetime
    kind: str               # deposit | withdrawal | trade | fee | transfer | reward | other
    operation: str
    asset: str
    amount: Decimal         # signed
    wallet: str | None = None
    fee: Decimal | None = None
    status: str | None = None
    address: str | None = None
    tx_hash: str | None = None
    network: str | None = None
    remark: str | None = None
    ref_id: str | None = None


@dataclass(frozen=True)
class PriceBar:
    source: str
    pair: str
    interval: str
    open_time: datetime
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal | None = None
    trade_count: int | None = None


@dataclass(frozen=True)
class BotOrder:
    platform: str
    deal_id: str
    time_utc: datetime
    pair: str
    side: str
    quantity: Decimal | None
    price: Decimal | None
    platform_account_id: str | None = None
    bot_id: str | None = None
    order_id: str | None = None
    exchange: str | None = None
    account: str | None = None


@dataclass(frozen=True)
class Transfer:
    """An on-chain value movement. ``value`` is the exact raw integer (uint256)."""

    chain_id: int
    block_number: int
    block_hash: str
    time_utc: datetime
    tx_hash: str
    log_index: int | None
    kind: str               # erc20 | native | internal
    token: str              # contract address lower-case, or 'native'
    from_address: str
    to_address: str
    value: int
    trace_address: str | None = None
