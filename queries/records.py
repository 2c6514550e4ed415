"""Every typed record keytrace reads: the stored rows, the claim workflow's records, the ownership and
fraud findings of a claim, and the facts a report or export states.

Amounts are Decimal (or exact integers for raw token units), times are aware UTC datetimes, and each
fact keeps what points back to the evidence (file SHA-256 and source row, transaction hash). The module
is long (about 540 lines) because it is only field lists: one place for every record shape, so that a
page, a PDF and an export that state the same fact use the same record.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

# -- stored rows (the canonical tables, as ingest writes them) -----------------------------------

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


# -- the claim workflow (app/claims.py) ----------------------------------------------------------

@dataclass(frozen=True)
class StatusEntry:
    at: datetime
    status: str
    reason: str | None
    actor_user_id: int | None


@dataclass(frozen=True)
class Note:
    at: datetime
    author: str
    text: str


@dataclass(frozen=True)
class Dispute:
    at: datetime
    text: str


@dataclass(frozen=True)
class Claim:
    id: int
    user_id: int
    exchange: str
    account: str
    key_fingerprint: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    statement: str | None
    claimed_loss_usd: Decimal | None
    status: str
    assigned_to: int | None
    assigned_username: str | None
    created_at: datetime
    updated_at: datetime
    evidence: list[dict[str, Any]] = field(default_factory=list)
    wallets: list[dict[str, Any]] = field(default_factory=list)


@dataclass(frozen=True)
class History:
    statuses: list[StatusEntry]
    disputes: list[Dispute]
    notes: list[Note]  # always empty for a victim


# -- a claim's ownership and fraud findings (queries/claims.py) ----------------------------------

@dataclass(frozen=True)
class EvidenceGrade:
    """One ownership grade a claim reaches (queries/sql/claims/ownership_evidence.sql); evaluated_at is
    when it was stored (None: computed now, not stored)."""

    level: int
    reason: str
    evaluated_at: datetime | None = None


@dataclass(frozen=True)
class EvidenceLevel:
    claim_id: int
    level: int                      # the highest grade reached
    grades: list[EvidenceGrade]     # every grade the claim reaches, highest first


@dataclass(frozen=True)
class FraudSignal:
    claim_id: int
    signal: str                     # a code of queries/sql/claims/fraud_signals.sql (SHARED_UID, ...)
    detail: str


@dataclass(frozen=True)
class Assessment:
    """What the review queue shows staff about a claim, computed now: its ownership grades and fraud signals."""

    level: int                       # the highest ownership grade reached (0-100)
    grades: list[EvidenceGrade]      # highest first
    fraud_signals: list[FraudSignal]


# -- the facts a report or export states (gathered by reports/bundle.py) -------------------------

@dataclass(frozen=True)
class Claimant:
    """What the viewer's role may see of the claimant (None: withheld)."""

    username: str | None
    name: str | None
    email: str | None
    phone: str | None
    visible_as: str          # the role the view was made for


@dataclass(frozen=True)
class ClaimHeader:
    claim_id: int
    case_id: str | None
    exchange: str
    account: str
    key_fingerprint: str | None
    status: str
    claimed_loss_usd: Decimal | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class WalletProof:
    address: str
    verified_at: datetime


@dataclass(frozen=True)
class CompromisedKey:
    fingerprint: str
    exchange: str
    account: str | None
    leak_id: str
    leak_source: str
    leak_date: date | None
    key_created_utc: datetime | None
    permissions: str | None
    ip_restricted: bool | None
    linked_by: str


@dataclass(frozen=True)
class UnauthorizedTrade:
    exchange: str
    account: str
    time_utc: datetime
    pair: str
    side: str
    price: Decimal
    quantity: Decimal
    quote_quantity: Decimal
    fee: Decimal | None
    fee_asset: str | None
    score: int
    reasons: str
    campaign_id: str | None
    fair_price: Decimal | None
    loss_usd: Decimal | None
    evidence_sha256: str
    source_row: int


@dataclass(frozen=True)
class AccountLoss:
    exchange: str
    account: str
    first_unauthorized_utc: datetime
    last_unauthorized_utc: datetime
    unauthorized_trades: int
    net_value_change_usd: Decimal | None
    loss_usd: Decimal | None
    unpriced_trades: int
    compromised_key: bool


@dataclass(frozen=True)
class PricePoint:
    source: str
    pair: str
    interval: str
    open_time: datetime
    close: Decimal


@dataclass(frozen=True)
class ChartTrade:
    pair: str
    time_utc: datetime
    price: Decimal
    unauthorized: bool


@dataclass(frozen=True)
class BalancePoint:
    asset: str
    time_utc: datetime
    balance: Decimal
    basis: str               # ledger | trades


@dataclass(frozen=True)
class TraceRun:
    trace_id: str
    created_at: datetime
    model: str
    direction: str
    hops: int
    seeds: list[str]


@dataclass(frozen=True)
class TraceEdge:
    trace_id: str
    hop: int
    chain_id: int
    tx_hash: str
    token: str
    symbol: str | None
    decimals: int | None
    from_address: str
    to_address: str
    time_utc: datetime
    block_number: int
    value: str                # raw units, exact (uint256 as text)
    tainted: Decimal          # raw units


@dataclass(frozen=True)
class CashOutPoint:
    trace_id: str
    address: str
    entity: str
    category: str
    token: str
    symbol: str | None
    decimals: int | None
    tainted_amount: Decimal   # raw units
    first_utc: datetime
    last_utc: datetime
    path_count: int


@dataclass(frozen=True)
class EvidenceItem:
    sha256: str
    original_name: str
    kind: str
    size_bytes: int
    submitted_by: str
    submitted_at: datetime
    stored: bool


@dataclass(frozen=True)
class CustodyEntry:
    sha256: str
    at_utc: datetime
    actor: str
    action: str
    details: str


@dataclass(frozen=True)
class Campaign:
    campaign_id: str
    pair: str
    start_utc: datetime
    end_utc: datetime
    accounts: int
    trades: int
    loss_usd: Decimal | None


@dataclass(frozen=True)
class Victim:
    exchange: str
    account: str
    unauthorized_trades: int
    loss_usd: Decimal | None
    first_unauthorized_utc: datetime
    last_unauthorized_utc: datetime
    compromised_key: bool
    claim_ids: str           # comma-separated claim numbers, '' when nobody has claimed the account


@dataclass(frozen=True)
class LossByExchangePair:
    exchange: str
    pair: str
    accounts: int
    trades: int
    loss_usd: Decimal | None


@dataclass(frozen=True)
class CashOutGroup:
    """Cash-out points of one entity: whom to ask for records."""

    entity: str
    category: str
    token: str
    symbol: str | None
    decimals: int | None
    addresses: int
    tainted_amount: Decimal  # raw units
    first_utc: datetime
    last_utc: datetime
    path_count: int
    address_list: str        # space-separated deposit addresses


@dataclass(frozen=True)
class AttackerAddress:
    address: str
    chain_id: int | None
    basis: str               # e.g. "label: <entity> (source, confidence 90)" or "trace seed"
    confidence: int
    first_seen: datetime | None
    last_seen: datetime | None


@dataclass(frozen=True)
class CoveragePeriod:
    """A period that one kind of the account's evidence of executions covers, or a gap (kind 'none')."""

    kind: str                 # fills | orders | statement | none
    first_utc: datetime
    last_utc: datetime
    files: int
    rows: int


@dataclass(frozen=True)
class EvidenceConflict:
    """Two kinds of the account's evidence disagree about its executions (the kept side stays)."""

    time_utc: datetime
    pair: str | None
    side: str | None
    conflict: str
    kept_from: str | None
    kept_value: str | None
    other_from: str
    other_value: str | None
    evidence_sha256: str | None
    source_row: int | None
    other_sha256: str
    other_rows: str
    detail: str


@dataclass(frozen=True)
class LedgerTransfer:
    """A withdrawal or deposit of the account with a transaction hash (IC3 'transactions')."""

    time_utc: datetime
    kind: str
    asset: str
    amount: Decimal
    address: str | None
    tx_hash: str | None
    network: str | None


@dataclass
class ClaimFacts:
    header: ClaimHeader
    claimant: Claimant
    ownership: list[EvidenceGrade]
    wallet_proofs: list[WalletProof]
    fraud_signals: list[FraudSignal]
    compromised_keys: list[CompromisedKey]
    trades: list[UnauthorizedTrade]
    loss: AccountLoss | None
    prices: list[PricePoint]
    chart_trades: list[ChartTrade]
    balances: list[BalancePoint]
    traces: list[TraceRun]
    trace_edges: list[TraceEdge]
    cash_out_points: list[CashOutPoint]
    attacker_addresses: list[AttackerAddress]
    ledger_transfers: list[LedgerTransfer]
    campaigns: list[Campaign]
    coverage: list[CoveragePeriod]
    conflicts: list[EvidenceConflict]
    evidence: list[EvidenceItem]
    custody: list[CustodyEntry]
    generated_at: datetime
    detection_run: dict[str, object] | None = None
    freshness: dict[str, object] | None = None    # queries/sql/report/detection_freshness.sql
    loss_definition: str = ""
    extra: dict[str, object] = field(default_factory=dict)


@dataclass
class IncidentFacts:
    campaigns: list[Campaign]
    victims: list[Victim]
    losses_by_exchange_pair: list[LossByExchangePair]
    cash_out_groups: list[CashOutGroup]
    cash_out_points: list[CashOutPoint]
    attacker_addresses: list[AttackerAddress]
    trades: list[UnauthorizedTrade]       # empty when gathered for the PDF only
    trade_count: int
    evidence: list[EvidenceItem]
    generated_at: datetime
    detection_run: dict[str, object] | None = None
    freshness: dict[str, object] | None = None    # queries/sql/report/detection_freshness.sql
    loss_definition: str = ""
