"""Machine-readable exports: CSV files, the IC3 complaint fields, a STIX 2.1 bundle, a MISP event, and
the evidence bundle (a ZIP of them with ``manifest.json`` naming every file's SHA-256).

CSV files are UTF-8 with a header row; amounts are exact decimal strings; times are ISO 8601 UTC with
``Z``. A cell that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) is prefixed with ``'`` - except a plain decimal number such as ``-12.5``,
which a spreadsheet reads as a number and never as a formula.
"""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import io
import json
import re
import uuid
import zipfile
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

from reports.facts import (
    AttackerAddress,
    Campaign,
    CashOutPoint,
    ClaimFacts,
    IncidentFacts,
    LedgerTransfer,
    TraceEdge,
    UnauthorizedTrade,
)

KEYTRACE_NAMESPACE = uuid.UUID("5a0c4c52-6f2e-4b8e-9d55-4b6579747261")
_EXACT = Context(prec=200)  # uint256 has 78 digits: never round
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


# ---------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------
def dec(value: Decimal | int | None) -> str:
    """An exact decimal string without exponent or trailing zeros ('' for None)."""
    if value is None:
        return ""
    d = Decimal(value)
    if d == 0:
        return "0"
    return format(d.normalize(_EXACT), "f")


def usd(value: Decimal | int | None) -> str:
    """A US-dollar figure for people: thousands grouped, cents rounded half up ('' for None).

    Reports show money this way; the exact amounts are in the CSV files attached to each PDF.
    """
    if value is None:
        return ""
    cents = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_EXACT)
    return f"{cents:,.2f}"


def iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def token_amount(raw: Decimal | int | str, decimals: int | None) -> Decimal:
    """Raw token units to whole tokens, exactly (unknown decimals: the raw amount)."""
    d = Decimal(raw)
    return d.scaleb(-decimals, _EXACT) if decimals else d


def coin_name(symbol: str | None, token: str) -> str:
    if token == "native":  # noqa: S105 - the native coin, not a secret
        return symbol or "ETH"
    return symbol or token


def neutralise(cell: str) -> str:
    """Make a cell safe against spreadsheet formula injection (see the module docstring)."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(c) for c in columns])
    for row in rows:
        w.writerow([neutralise(_cell(v)) for v in row])
    return buf.getvalue().encode("utf-8")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal | int) and not isinstance(v, bool):
        return dec(v)
    if isinstance(v, datetime | date):
        return iso(v)
    return str(v)


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default) + "\n").encode()


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return dec(v)
    if isinstance(v, datetime | date):
        return iso(v)
    raise TypeError(f"cannot write {type(v).__name__} as JSON")


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
# IC3 complaint fields (https://www.ic3.gov, "Financial transaction" section, cryptocurrency)
# ---------------------------------------------------------------------------------------------------
IC3_COLUMNS = ["record_type", "date_utc", "transaction_type", "amount", "coin", "usd_value", "transaction_hash",
               "sending_address", "receiving_address", "exchange", "account", "description"]


@dataclass(frozen=True)
class Ic3Record:
    record_type: str          # loss | withdrawal | deposit | attacker_cash_out
    date_utc: datetime
    transaction_type: str
    amount: Decimal
    coin: str
    usd_value: Decimal | None
    transaction_hash: str
    sending_address: str
    receiving_address: str
    exchange: str
    account: str
    description: str

    def row(self) -> list[Any]:
        return [self.record_type, self.date_utc, self.transaction_type, self.amount, self.coin, self.usd_value,
                self.transaction_hash, self.sending_address, self.receiving_address, self.exchange,
                self.account, self.description]


def ic3_records(trades: Sequence[UnauthorizedTrade], ledger: Sequence[LedgerTransfer],
                edges: Sequence[TraceEdge], cash_out: Sequence[CashOutPoint],
                exchange: str, account: str) -> list[Ic3Record]:
    """Loss per account and pair (what was given up), the account's own on-chain movements in the window,
    and the on-chain transfers into cash-out points (sending and receiving addresses, hashes)."""
    out: list[Ic3Record] = []
    by_pair: dict[tuple[str, str, str], list[UnauthorizedTrade]] = {}
    for t in trades:
        by_pair.setdefault((t.exchange, t.account, t.pair), []).append(t)
    for (ex, acct, pair), ts in sorted(by_pair.items()):
        base, _, quote = pair.partition("/")
        spent_quote = sum((t.quote_quantity for t in ts if t.side == "buy"), Decimal(0))
        sold_base = sum((t.quantity for t in ts if t.side == "sell"), Decimal(0))
        loss = sum((t.loss_usd for t in ts if t.loss_usd is not None), Decimal(0))
        first = min(t.time_utc for t in ts)
        last = max(t.time_utc for t in ts)
        if spent_quote:
            out.append(Ic3Record("loss", first, "unauthorised trade via leaked API key", spent_quote, quote,
                                 loss, "", "", "", ex, acct,
                                 f"{len(ts)} unauthorised trades on {pair} from {iso(first)} to {iso(last)}: "
                                 f"{dec(spent_quote)} {quote} spent buying {base}"))
        if sold_base:
            out.append(Ic3Record("loss", first, "unauthorised trade via leaked API key", sold_base, base,
                                 None if spent_quote else loss, "", "", "", ex, acct,
                                 f"{dec(sold_base)} {base} sold on {pair} between {iso(first)} and {iso(last)}"))
    for m in ledger:
        if not m.tx_hash:
            continue
        outgoing = m.amount < 0
        out.append(Ic3Record("withdrawal" if outgoing else "deposit", m.time_utc, "cryptocurrency", abs(m.amount),
                             m.asset, None, m.tx_hash, "" if outgoing else (m.address or ""),
                             (m.address or "") if outgoing else "", exchange, account,
                             f"{m.kind} recorded in the exchange ledger" + (f" on {m.network}" if m.network else "")))
    cash_addresses = {p.address for p in cash_out}
    for e in edges:
        if e.to_address not in cash_addresses:
            continue
        out.append(Ic3Record("attacker_cash_out", e.time_utc, "cryptocurrency",
                             token_amount(e.value, e.decimals), coin_name(e.symbol, e.token), None, e.tx_hash,
                             e.from_address, e.to_address, "", "",
                             f"traced transfer into a cash-out point (hop {e.hop}, trace {e.trace_id}); "
                             f"tainted {dec(token_amount(e.tainted, e.decimals))}"))
    out.sort(key=lambda r: (r.date_utc, r.record_type, r.transaction_hash))
    return out


def ic3_csv(records: Sequence[Ic3Record]) -> bytes:
    return csv_bytes(IC3_COLUMNS, (r.row() for r in records))


# What each column is called on the IC3 complaint form's financial-transaction page (cryptocurrency).
IC3_FORM_LABELS = {
    "record_type": "(keytrace) kind of record: loss, withdrawal, deposit or attacker_cash_out",
    "date_utc": "Date of transaction",
    "transaction_type": "Transaction type",
    "amount": "Amount",
    "coin": "Cryptocurrency type",
    "usd_value": "Amount in U.S. dollars",
    "transaction_hash": "Transaction hash / ID",
    "sending_address": "Originating (sending) cryptocurrency address",
    "receiving_address": "Recipient (receiving) cryptocurrency address",
    "exchange": "Victim's exchange (cryptocurrency ATM / exchange name)",
    "account": "Victim's account identifier at the exchange",
    "description": "Description of the incident",
}


def ic3_json(records: Sequence[Ic3Record], summary: dict[str, Any]) -> bytes:
    return json_bytes({
        "form": "IC3 complaint, financial transactions (cryptocurrency)",
        "form_labels": IC3_FORM_LABELS,
        "summary": summary,
        "transactions": [dict(zip(IC3_COLUMNS, r.row(), strict=True)) for r in records],
    })


# ---------------------------------------------------------------------------------------------------
# STIX 2.1
# ---------------------------------------------------------------------------------------------------
def _sid(kind: str, *parts: str) -> str:
    """A STIX id whose UUID is in version-4 form (as STIX 2.1 asks) yet stable for the same object, so
    that a receiver recognises a campaign or address it already has from an earlier export."""
    digest = hashlib.sha256(f"{KEYTRACE_NAMESPACE}:{kind}:{':'.join(parts)}".encode()).digest()
    return f"{kind}--{uuid.UUID(bytes=digest[:16], version=4)}"


def stix_bundle(addresses: Sequence[AttackerAddress], campaigns: Sequence[Campaign],
                cash_out: Sequence[CashOutPoint], generated_at: datetime) -> bytes:
    """Identity (keytrace), one Campaign per campaign, one Indicator per attacker address
    (pattern ``[cryptocurrency-wallet:address = '...']``), and 'indicates' relationships."""
    import stix2

    created = generated_at.astimezone(UTC)
    identity = stix2.v21.Identity(id=_sid("identity", "keytrace"), name="keytrace", identity_class="system",
                                  created=created, modified=created,
                                  description="Forensics of the 3Commas API-key leak (exchange accounts "
                                              "traded by attackers through leaked keys)")
    objects: list[Any] = [identity]
    camp_objs = []
    for c in campaigns:
        obj = stix2.v21.Campaign(
            id=_sid("campaign", c.campaign_id), created_by_ref=identity.id, created=created, modified=created,
            name=f"{c.pair} pump through leaked API keys ({c.campaign_id})",
            description=(f"{c.trades} unauthorised trades on {c.pair} across {c.accounts} accounts between "
                         f"{iso(c.start_utc)} and {iso(c.end_utc)}; loss {dec(c.loss_usd)} USD"),
            first_seen=c.start_utc, last_seen=c.end_utc, objective="drain victims' balances into a pumped pair",
            labels=["api-key-abuse"])
        camp_objs.append(obj)
    objects.extend(camp_objs)
    for a in addresses:
        valid_from = a.first_seen or created
        ind = stix2.v21.Indicator(
            id=_sid("indicator", a.address.lower()), created_by_ref=identity.id, created=created,
            modified=created, name=f"Attacker address {a.address}",
            description=f"Address attributed to the attackers: {a.basis}",
            indicator_types=["malicious-activity", "attribution"],
            pattern=f"[cryptocurrency-wallet:address = '{_stix_quote(a.address)}']", pattern_type="stix",
            valid_from=valid_from, confidence=max(0, min(100, a.confidence)))
        objects.append(ind)
        for c in camp_objs:
            objects.append(stix2.v21.Relationship(
                id=_sid("relationship", ind.id, c.id), created_by_ref=identity.id, created=created,
                modified=created, relationship_type="indicates", source_ref=ind.id, target_ref=c.id))
    seen: set[str] = set()
    for p in cash_out:
        if p.address in seen:
            continue
        seen.add(p.address)
        objects.append(stix2.v21.Indicator(
            id=_sid("indicator", "cash-out", p.address.lower()), created_by_ref=identity.id, created=created,
            modified=created, name=f"Cash-out point {p.address} ({p.entity})",
            description=(f"Deposit address of {p.entity} ({p.category}) that received traced funds; the "
                         f"{p.category} can be asked for the account holder's records"),
            indicator_types=["attribution"],
            pattern=f"[cryptocurrency-wallet:address = '{_stix_quote(p.address)}']", pattern_type="stix",
            valid_from=p.first_utc))
    bundle = stix2.v21.Bundle(objects=objects, id=_sid("bundle", iso(created), str(len(objects))))
    text: str = bundle.serialize(pretty=True, sort_keys=True)
    return (text + "\n").encode()


def _stix_quote(text: str) -> str:
    return text.replace("\\", "\\\\").replace("'", "\\'")


# ---------------------------------------------------------------------------------------------------
# MISP
# ---------------------------------------------------------------------------------------------------
COIN_ADDRESS_TEMPLATE = ("d0e6997e-78da-4815-a6a1-cfc1c1cb8a46", "7")


def misp_event(title: str, addresses: Sequence[AttackerAddress], campaigns: Sequence[Campaign],
               cash_out: Sequence[CashOutPoint], generated_at: datetime) -> bytes:
    """A MISP event (JSON import format): coin-address objects for attacker and cash-out addresses,
    campaign descriptions as text attributes."""
    ts = str(int(generated_at.timestamp()))
    ev_uuid = str(uuid.uuid5(KEYTRACE_NAMESPACE, "misp-event:" + title + ":" + iso(generated_at)))
    objects: list[dict[str, Any]] = []

    def attr(rel: str, typ: str, value: str, *, to_ids: bool = False, category: str = "Financial fraud",
             comment: str = "") -> dict[str, Any]:
        return {"object_relation": rel, "type": typ, "category": category, "value": value, "to_ids": to_ids,
                "uuid": str(uuid.uuid5(KEYTRACE_NAMESPACE, f"misp-attr:{ev_uuid}:{rel}:{value}:{comment}")),
                "timestamp": ts, "distribution": "5", "comment": comment, "disable_correlation": False}

    def coin_object(address: str, comment: str, first: datetime | None, last: datetime | None,
                    symbol: str | None, to_ids: bool) -> dict[str, Any]:
        attrs = [attr("address-crypto", "text", address, to_ids=to_ids, comment=comment)]
        if symbol:
            attrs.append(attr("symbol", "text", symbol))
        if first:
            attrs.append(attr("first-seen", "datetime", iso(first), category="Other"))
        if last:
            attrs.append(attr("last-seen", "datetime", iso(last), category="Other"))
        return {"name": "coin-address", "meta-category": "financial", "description": "An address used in a "
                "cryptocurrency", "template_uuid": COIN_ADDRESS_TEMPLATE[0],
                "template_version": COIN_ADDRESS_TEMPLATE[1],
                "uuid": str(uuid.uuid5(KEYTRACE_NAMESPACE, f"misp-obj:{ev_uuid}:{address}:{comment}")),
                "timestamp": ts, "distribution": "5", "comment": comment, "Attribute": attrs}

    for a in addresses:
        objects.append(coin_object(a.address, f"attacker address: {a.basis}", a.first_seen, a.last_seen,
                                   None, True))
    seen: set[str] = set()
    for p in cash_out:
        if p.address in seen:
            continue
        seen.add(p.address)
        objects.append(coin_object(p.address, f"cash-out point: {p.entity} ({p.category})", p.first_utc,
                                   p.last_utc, coin_name(p.symbol, p.token), False))
    attributes = [{
        "type": "text", "category": "Other", "to_ids": False, "distribution": "5", "timestamp": ts,
        "uuid": str(uuid.uuid5(KEYTRACE_NAMESPACE, f"misp-camp:{ev_uuid}:{c.campaign_id}")),
        "comment": f"campaign {c.campaign_id}",
        "value": (f"{c.pair}: {c.trades} unauthorised trades across {c.accounts} accounts, "
                  f"{iso(c.start_utc)} to {iso(c.end_utc)}, loss {dec(c.loss_usd)} USD")}
        for c in campaigns]
    event = {"Event": {
        "uuid": ev_uuid, "info": title, "date": generated_at.astimezone(UTC).date().isoformat(),
        "timestamp": ts, "threat_level_id": "2", "analysis": "2", "distribution": "0", "published": False,
        "Tag": [{"name": "tlp:amber"}, {"name": "keytrace:incident=\"3commas-api-key-leak\""}],
        "Attribute": attributes, "Object": objects}}
    return json_bytes(event)


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
