"""Gather a case's facts through the queries in queries/sql (report_*.sql): nothing here computes a
finding, it only reads what ingest and `keytrace detect` / `keytrace trace` stored, and opens the
claimant's sealed contact details as far as the viewer's role may see them.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal
from typing import Any, TypeVar

import duckdb

from core.db import utcnow
from core.errors import NotFound
from core.workspace import Workspace
from queries import claims as claim_queries
from queries import runner
from queries.coverage import COVERAGE_GAP_HOURS
from queries.detect import LOSS_DEFINITION
from queries.records import (
    AccountLoss,
    AttackerAddress,
    BalancePoint,
    Campaign,
    CashOutGroup,
    CashOutPoint,
    ChartTrade,
    Claimant,
    ClaimFacts,
    ClaimHeader,
    CompromisedKey,
    CoveragePeriod,
    CustodyEntry,
    EvidenceConflict,
    EvidenceGrade,
    EvidenceItem,
    IncidentFacts,
    LedgerTransfer,
    LossByExchangePair,
    PricePoint,
    TraceEdge,
    TraceRun,
    UnauthorizedTrade,
    Victim,
    WalletProof,
)

T = TypeVar("T")


FULL_CONTACT_ROLES = frozenset({"legal", "admin"})
NAME_ONLY_ROLES = frozenset({"investigator"})

# the purposes app/claims.py seals the claimant's fields with
PURPOSE_NAME = "claims.contact_name"
PURPOSE_EMAIL = "claims.contact_email"
PURPOSE_PHONE = "claims.contact_phone"


def _q(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return runner.run(con, name, params or {})


def _make(cls: Callable[..., T], rows: list[dict[str, Any]]) -> list[T]:
    return [cls(**r) for r in rows]


def _claimant(ws: Workspace, row: dict[str, Any], viewer_role: str) -> Claimant:
    if viewer_role in FULL_CONTACT_ROLES:
        return Claimant(row["username"], ws.keys.open(row["contact_name_enc"], PURPOSE_NAME),
                        ws.keys.open(row["contact_email_enc"], PURPOSE_EMAIL),
                        ws.keys.open(row["contact_phone_enc"], PURPOSE_PHONE), viewer_role)
    if viewer_role in NAME_ONLY_ROLES:
        return Claimant(row["username"], ws.keys.open(row["contact_name_enc"], PURPOSE_NAME), None, None,
                        viewer_role)
    return Claimant(None, None, None, None, viewer_role)


def _detection_run(con: duckdb.DuckDBPyConnection) -> dict[str, object] | None:
    rows = _q(con, "report/detection_run")
    return rows[0] if rows else None


# Well-known tokens, for chains whose token metadata was not pulled (symbol, decimals).
KNOWN_TOKENS: dict[str, tuple[str, int]] = {
    "native": ("ETH", 18),
    "0xdac17f958d2ee523a2206206994597c13d831ec7": ("USDT", 6),
    "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48": ("USDC", 6),
    "0x6b175474e89094c44da98b954eedeac495271d0f": ("DAI", 18),
    "0x2260fac5e5542a773aa44fbc8ddfef8a73a0d5ce": ("WBTC", 8),
    "0xc02aaa39b223fe8d0a0e5c4f27ead9083c756cc2": ("WETH", 18),
}


def _known_token(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    for r in rows:
        if r.get("symbol") is None and r.get("decimals") is None and str(r["token"]).lower() in KNOWN_TOKENS:
            r["symbol"], r["decimals"] = KNOWN_TOKENS[str(r["token"]).lower()]
    return rows


def _traces(con: duckdb.DuckDBPyConnection, runs: list[dict[str, Any]]
            ) -> tuple[list[TraceRun], list[TraceEdge], list[CashOutPoint]]:
    traces, edges, points = [], [], []
    for r in runs:
        try:
            seeds = [str(s) for s in json.loads(r["seeds"])]
        except (ValueError, TypeError):
            seeds = [str(r["seeds"])]
        traces.append(TraceRun(r["trace_id"], r["created_at"], r["model"], r["direction"], int(r["hops"]), seeds))
        edges.extend(_make(TraceEdge, _known_token(_q(con, "report/trace_edges", {"trace_id": r["trace_id"]}))))
        points.extend(_make(CashOutPoint, _known_token(
            _q(con, "trace/cash_out_points", {"trace_id": r["trace_id"]}))))
    return traces, edges, points


def gather_claim(ws: Workspace, claim_id: int, viewer_role: str = "legal") -> ClaimFacts:
    """Everything a claim report states, read in one read transaction."""
    with ws.db.read() as con:
        found = _q(con, "report/claim", {"claim_id": claim_id})
        if not found:
            raise NotFound(f"there is no claim {claim_id}")
        row = found[0]
        header = ClaimHeader(row["claim_id"], row["case_id"], row["exchange"], row["account"],
                             row["key_fingerprint"], row["status"], row["claimed_loss_usd"], row["created_at"],
                             row["updated_at"])
        acct = {"exchange": header.exchange, "account": header.account}
        scoped = {"claim_id": claim_id, **acct}
        loss_rows = _q(con, "report/account_loss", acct)
        runs = _q(con, "report/claim_traces", scoped)
        trace_scope = "claim"
        if not runs:  # no trace starts from this claim's addresses: show where the incident's proceeds went
            runs = [r for r in _q(con, "report/incident_traces") if r["direction"] == "forward"]
            trace_scope = "incident"
        traces, edges, points = _traces(con, runs)
        evidence = _make(EvidenceItem, _q(con, "report/claim_evidence", scoped))
        facts = ClaimFacts(
            header=header,
            claimant=_claimant(ws, row, viewer_role),
            ownership=_make(EvidenceGrade, _q(con, "report/claim_ownership", {"claim_id": claim_id})),
            wallet_proofs=_make(WalletProof, _q(con, "report/claim_wallet_proofs", {"claim_id": claim_id})),
            fraud_signals=claim_queries.fraud_signals(con, claim_id),
            compromised_keys=_make(CompromisedKey, _q(con, "report/account_compromised_keys",
                                                      {**acct, "fingerprint": header.key_fingerprint})),
            trades=_make(UnauthorizedTrade, _q(con, "report/account_unauthorized_trades", acct)),
            loss=AccountLoss(**loss_rows[0]) if loss_rows else None,
            prices=_make(PricePoint, _q(con, "report/account_reference_prices", acct)),
            chart_trades=_make(ChartTrade, _q(con, "report/account_chart_trades", acct)),
            balances=_make(BalancePoint, _q(con, "report/account_balances", acct)),
            traces=traces, trace_edges=edges, cash_out_points=points,
            attacker_addresses=_make(AttackerAddress, _q(con, "report/attacker_addresses")),
            ledger_transfers=_make(LedgerTransfer, _q(con, "report/account_ledger_transfers", acct)),
            campaigns=_make(Campaign, _q(con, "report/account_campaigns", acct)),
            coverage=_make(CoveragePeriod, _q(con, "report/account_coverage", {**acct, "gap_hours": COVERAGE_GAP_HOURS})),
            conflicts=_make(EvidenceConflict, _q(con, "report/account_conflicts", acct)),
            evidence=evidence,
            custody=_make(CustodyEntry, _q(con, "report/custody", {"shas": [e.sha256 for e in evidence]})),
            generated_at=utcnow(),
            detection_run=_detection_run(con),
            freshness=_q(con, "report/detection_freshness")[0],
            loss_definition=LOSS_DEFINITION,
            extra={"trace_scope": trace_scope},
        )
    return facts


def gather_incident(ws: Workspace, *, with_trades: bool = True) -> IncidentFacts:
    """Everything an incident report states, read in one read transaction.

    The PDF counts the unauthorised trades but does not list them (the bundle's CSV does), so it asks
    for ``with_trades=False`` and the trades are not loaded at all.
    """
    with ws.db.read() as con:
        _, _, points = _traces(con, _q(con, "report/incident_traces"))
        facts = IncidentFacts(
            campaigns=_make(Campaign, _q(con, "report/incident_campaigns")),
            victims=_make(Victim, _q(con, "report/incident_victims")),
            losses_by_exchange_pair=_make(LossByExchangePair, _q(con, "report/incident_losses_by_exchange_pair")),
            cash_out_groups=_make(CashOutGroup, _known_token(_q(con, "report/incident_cash_out_by_entity"))),
            cash_out_points=points,
            attacker_addresses=_make(AttackerAddress, _q(con, "report/attacker_addresses")),
            trades=_make(UnauthorizedTrade, _q(con, "report/incident_trades")) if with_trades else [],
            trade_count=int(_q(con, "report/incident_trade_count")[0]["trades"]),
            evidence=_make(EvidenceItem, _q(con, "report/incident_evidence")),
            generated_at=utcnow(),
            detection_run=_detection_run(con),
            freshness=_q(con, "report/detection_freshness")[0],
            loss_definition=LOSS_DEFINITION,
        )
    return facts


def downsample(points: list[tuple[datetime, Decimal]], limit: int = 600) -> list[tuple[datetime, Decimal]]:
    """At most ``limit`` points for drawing, always keeping the first, last, lowest and highest."""
    if len(points) <= limit:
        return points
    step = len(points) / limit
    keep = {int(i * step) for i in range(limit)} | {0, len(points) - 1}
    keep.add(min(range(len(points)), key=lambda i: points[i][1]))
    keep.add(max(range(len(points)), key=lambda i: points[i][1]))
    return [points[i] for i in sorted(keep)]


def thin_markers(points: list[tuple[datetime, Decimal, bool]], limit: int = 800
                 ) -> list[tuple[datetime, Decimal, bool]]:
    """At most ``limit`` trade markers per kind (flagged or not) for drawing: thousands of markers on
    one chart are one blot; the caption states the exact count."""
    out: list[tuple[datetime, Decimal, bool]] = []
    for flag in (False, True):
        series = [(t, p) for t, p, f in points if f is flag]
        out.extend((t, p, flag) for t, p in downsample(series, limit))
    return out
