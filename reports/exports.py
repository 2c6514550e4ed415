"""Machine-readable exports: the CSV tables of the findings and the evidence bundle (a ZIP of them, the
PDF, the sharing formats of :mod:`reports.sharing`, with ``manifest.json`` naming every file's SHA-256).

CSV files are UTF-8 with a header row; amounts are exact decimal strings; times are ISO 8601 UTC with
``Z``. A cell that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) is prefixed with ``'`` - except a plain decimal number such as ``-12.5``,
which a spreadsheet reads as a number and never as a formula.
"""

from __future__ import annotations

import dataclasses
import hashlib
import io
import zipfile
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.formatting import coin_name, csv_bytes, dec, iso, json_bytes, token_amount
from queries.records import (
    AttackerAddress,
    Campaign,
    CashOutPoint,
    ClaimFacts,
    IncidentFacts,
    TraceEdge,
    UnauthorizedTrade,
)
from reports.sharing import ic3_csv, ic3_json, ic3_records, misp_event, stix_bundle

# ---------------------------------------------------------------------------------------------------
# CSV tables
# ---------------------------------------------------------------------------------------------------
FINDINGS_COLUMNS = ["exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity",
                    "score", "reasons", "loss_usd"]
TRADE_EVIDENCE_COLUMNS = [*FINDINGS_COLUMNS, "fee", "fee_asset", "fair_price", "campaign_id",
                          "evidence_sha256", "source_row"]


def unauthorized_trades_csv(trades: Sequence[UnauthorizedTrade]) -> bytes:
    """The findings columns of ARCHITECTURE.md, then the fee, fair price, campaign and provenance."""
    return csv_bytes(TRADE_EVIDENCE_COLUMNS, (
        [t.exchange, t.account, t.time_utc, t.pair, t.side, t.price, t.quantity, t.quote_quantity, t.score,
         t.reasons, t.loss_usd, t.fee, t.fee_asset, t.fair_price, t.campaign_id, t.evidence_sha256, t.source_row]
        for t in trades))


def campaigns_csv(campaigns: Sequence[Campaign]) -> bytes:
    return csv_bytes(["campaign_id", "pair", "start_utc", "end_utc", "accounts", "trades", "loss_usd"],
                     ([c.campaign_id, c.pair, c.start_utc, c.end_utc, c.accounts, c.trades, c.loss_usd]
                      for c in campaigns))


def cash_out_points_csv(points: Sequence[CashOutPoint]) -> bytes:
    return csv_bytes(["trace_id", "entity", "category", "address", "coin", "token", "tainted_amount",
                      "tainted_raw", "first_utc", "last_utc", "path_count"],
                     ([p.trace_id, p.entity, p.category, p.address, coin_name(p.symbol, p.token), p.token,
                       token_amount(p.tainted_amount, p.decimals), p.tainted_amount, p.first_utc, p.last_utc,
                       p.path_count] for p in points))


def trace_edges_csv(edges: Sequence[TraceEdge]) -> bytes:
    return csv_bytes(["trace_id", "hop", "chain_id", "block_number", "time_utc", "tx_hash", "token", "coin",
                      "from", "to", "value_raw", "tainted_raw", "tainted_amount"],
                     ([e.trace_id, e.hop, e.chain_id, e.block_number, e.time_utc, e.tx_hash, e.token,
                       coin_name(e.symbol, e.token), e.from_address, e.to_address, e.value, e.tainted,
                       token_amount(e.tainted, e.decimals)] for e in edges))


def attacker_addresses_csv(addresses: Sequence[AttackerAddress]) -> bytes:
    return csv_bytes(["address", "chain_id", "basis", "confidence", "first_seen_utc", "last_seen_utc"],
                     ([a.address, a.chain_id, a.basis, a.confidence, a.first_seen, a.last_seen]
                      for a in addresses))


# ---------------------------------------------------------------------------------------------------
# The ZIP bundle
# ---------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleFile:
    name: str
    data: bytes
    description: str


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


MANIFEST = "manifest.json"
MANIFEST_SIGNATURE = "manifest.json.p7s"  # CMS (PKCS#7) detached signature over manifest.json's bytes


def build_zip(files: Sequence[BundleFile], meta: dict[str, Any], generated_at: datetime,
              sign_manifest: Callable[[bytes], bytes] | None = None) -> bytes:
    """Write ``files`` and ``manifest.json`` (each file's name, size, SHA-256, description) into a ZIP;
    with ``sign_manifest`` also ``manifest.json.p7s``, its detached signature over the manifest's bytes."""
    stamp = generated_at.astimezone(UTC).timetuple()[:6]
    manifest = {**meta, "generated_utc": iso(generated_at), "hash_algorithm": "SHA-256",
                "manifest_signature": MANIFEST_SIGNATURE if sign_manifest else None,
                "files": [{"name": f.name, "size_bytes": len(f.data), "sha256": sha256_hex(f.data),
                           "description": f.description} for f in files]}
    manifest_bytes = json_bytes(manifest)
    extra = [BundleFile(MANIFEST, manifest_bytes, "")]
    if sign_manifest is not None:
        extra.append(BundleFile(MANIFEST_SIGNATURE, sign_manifest(manifest_bytes), ""))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for f in [*files, *extra]:
            info = zipfile.ZipInfo(f.name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, f.data)
    return buf.getvalue()


def facts_json(facts: ClaimFacts | IncidentFacts) -> bytes:
    """Every fact the report states, as JSON (amounts as exact decimal strings, times in UTC)."""
    return json_bytes(dataclasses.asdict(facts))


def claim_bundle_files(facts: ClaimFacts, report_pdf: bytes | None,
                       only: Collection[str] | None = None) -> list[BundleFile]:
    """The files of a claim bundle (``only``: just these names, the others are not even built)."""
    h = facts.header
    records = ic3_records(facts.trades, facts.ledger_transfers, facts.trace_edges, facts.cash_out_points,
                          h.exchange, h.account)
    loss = facts.loss
    summary = {
        "case_id": h.case_id, "claim_id": h.claim_id, "exchange": h.exchange, "account": h.account,
        "first_unauthorized_utc": iso(loss.first_unauthorized_utc) if loss else "",
        "last_unauthorized_utc": iso(loss.last_unauthorized_utc) if loss else "",
        "total_loss_usd": dec(loss.loss_usd) if loss else "",
        "unauthorized_trades": len(facts.trades),
        "coins": sorted({a for t in facts.trades for a in t.pair.split("/")}),
        "loss_definition": facts.loss_definition,
    }
    entries: list[tuple[str, Callable[[], bytes], str]] = [
        ("unauthorized_trades.csv", lambda: unauthorized_trades_csv(facts.trades),
         "every trade judged unauthorised, with score, reasons, loss and its evidence row"),
        ("campaigns.csv", lambda: campaigns_csv(facts.campaigns), "campaigns the account's trades belong to"),
        ("cash_out_points.csv", lambda: cash_out_points_csv(facts.cash_out_points),
         "where traced funds reached a labelled exchange or service"),
        ("fund_flow.csv", lambda: trace_edges_csv(facts.trace_edges),
         "every traced transfer (the flow graph)"),
        ("attacker_addresses.csv", lambda: attacker_addresses_csv(facts.attacker_addresses),
         "addresses attributed to the attackers and why"),
        ("evidence.csv", lambda: csv_bytes(
            ["sha256", "original_name", "kind", "size_bytes", "submitted_by", "submitted_at_utc", "content_stored"],
            ([e.sha256, e.original_name, e.kind, e.size_bytes, e.submitted_by, e.submitted_at, e.stored]
             for e in facts.evidence)), "the evidence files the findings rest on"),
        ("custody_log.csv", lambda: csv_bytes(["sha256", "at_utc", "actor", "action", "details"],
                                                ([c.sha256, c.at_utc, c.actor, c.action, c.details]
                                                 for c in facts.custody)), "chain of custody of those files"),
        ("ic3_transactions.csv", lambda: ic3_csv(records), "IC3 complaint fields, one row per transaction"),
        ("ic3_complaint.json", lambda: ic3_json(records, summary), "IC3 complaint fields as JSON"),
        ("stix2_bundle.json", lambda: stix_bundle(facts.attacker_addresses, facts.campaigns,
                                                    facts.cash_out_points, facts.generated_at), "STIX 2.1 bundle: attacker addresses (indicators), campaigns"),
        ("misp_event.json", lambda: misp_event(
            f"keytrace claim {h.claim_id}: unauthorised trading on {h.exchange} account via leaked API key",
            facts.attacker_addresses, facts.campaigns, facts.cash_out_points, facts.generated_at), "MISP event (JSON import format)"),
        ("report_data.json", lambda: facts_json(facts),
         "every fact of the report as JSON (claimant details as far as the viewer's role may see)"),
    ]
    files = [BundleFile(n, build(), d) for n, build, d in entries if only is None or n in only]
    if report_pdf is not None:
        files.insert(0, BundleFile(f"claim_{h.claim_id}_report.pdf", report_pdf, "the claim report (PDF)"))
    return files


def incident_bundle_files(facts: IncidentFacts, report_pdf: bytes | None,
                          only: Collection[str] | None = None) -> list[BundleFile]:
    """The files of an incident bundle (``only``: just these names, the others are not even built)."""
    records = ic3_records(facts.trades, [], [], [], "", "")
    summary = {
        "victims": len(facts.victims), "campaigns": len(facts.campaigns),
        "unauthorized_trades": facts.trade_count,
        "total_loss_usd": dec(sum((v.loss_usd for v in facts.victims if v.loss_usd is not None), Decimal(0))),
        "loss_definition": facts.loss_definition,
    }
    entries: list[tuple[str, Callable[[], bytes], str]] = [
        ("unauthorized_trades.csv", lambda: unauthorized_trades_csv(facts.trades),
         "every trade judged unauthorised, with score, reasons, loss and its evidence row"),
        ("campaigns.csv", lambda: campaigns_csv(facts.campaigns), "campaigns"),
        ("victims.csv", lambda: csv_bytes(
            ["exchange", "account", "unauthorized_trades", "loss_usd", "first_unauthorized_utc",
             "last_unauthorized_utc", "compromised_key", "claim_ids"],
            ([v.exchange, v.account, v.unauthorized_trades, v.loss_usd, v.first_unauthorized_utc,
              v.last_unauthorized_utc, v.compromised_key, v.claim_ids] for v in facts.victims)), "accounts with unauthorised trades"),
        ("losses_by_exchange_pair.csv", lambda: csv_bytes(
            ["exchange", "pair", "accounts", "trades", "loss_usd"],
            ([r.exchange, r.pair, r.accounts, r.trades, r.loss_usd] for r in facts.losses_by_exchange_pair)), "losses by exchange and pair"),
        ("cash_out_by_entity.csv", lambda: csv_bytes(
            ["entity", "category", "coin", "token", "addresses", "tainted_amount", "first_utc", "last_utc",
             "path_count", "deposit_addresses"],
            ([g.entity, g.category, coin_name(g.symbol, g.token), g.token, g.addresses,
              token_amount(g.tainted_amount, g.decimals), g.first_utc, g.last_utc, g.path_count, g.address_list]
             for g in facts.cash_out_groups)), "cash-out points grouped by the entity to ask for records"),
        ("cash_out_points.csv", lambda: cash_out_points_csv(facts.cash_out_points), "every cash-out point"),
        ("attacker_addresses.csv", lambda: attacker_addresses_csv(facts.attacker_addresses),
         "addresses attributed to the attackers and why"),
        ("evidence.csv", lambda: csv_bytes(
            ["sha256", "original_name", "kind", "size_bytes", "submitted_by", "submitted_at_utc", "content_stored"],
            ([e.sha256, e.original_name, e.kind, e.size_bytes, e.submitted_by, e.submitted_at, e.stored]
             for e in facts.evidence)), "the evidence files the findings rest on"),
        ("ic3_transactions.csv", lambda: ic3_csv(records), "IC3 complaint fields, one row per loss"),
        ("ic3_complaint.json", lambda: ic3_json(records, summary), "IC3 complaint fields as JSON"),
        ("stix2_bundle.json", lambda: stix_bundle(facts.attacker_addresses, facts.campaigns,
                                                    facts.cash_out_points, facts.generated_at), "STIX 2.1 bundle: attacker addresses (indicators), campaigns"),

                ("misp_event.json", lambda: misp_event("keytrace: 3Commas API-key leak, unauthorised trading campaigns",
                                                 facts.attacker_addresses, facts.campaigns, facts.cash_out_points,
                                                 facts.generated_at), "MISP event (JSON import format)"),
        ("report_data.json", lambda: facts_json(facts), "every fact of the report as JSON"),
    ]
    files = [BundleFile(n, build(), d) for n, build, d in entries if only is None or n in only]
    if report_pdf is not None:
        files.insert(0, BundleFile("incident_report.pdf", report_pdf, "the incident report (PDF)"))
    return files
