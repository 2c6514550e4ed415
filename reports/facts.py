"""The facts a report or export states, as plain records (gathered by :mod:`reports.bundle`).

Every amount is a Decimal (or an exact integer for raw token units); every time is UTC. Each record
keeps what points back to the evidence (file SHA-256 and source row, transaction hash).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal


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
class OwnershipItem:
    level: int
    reason: str
    evaluated_at: datetime


@dataclass(frozen=True)
class WalletProof:
    address: str
    verified_at: datetime


@dataclass(frozen=True)
class FraudSignal:
    signal: str
    detail: str


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
    ownership: list[OwnershipItem]
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
    freshness: dict[str, object] | None = None    # queries/sql/detection_freshness.sql
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
    freshness: dict[str, object] | None = None    # queries/sql/detection_freshness.sql
    loss_definition: str = ""
