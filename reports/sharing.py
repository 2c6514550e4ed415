"""The formats investigators share with others: the IC3 complaint fields, a STIX 2.1 bundle and a MISP
event, built from the same facts as the reports (:mod:`queries.records`).
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from core.formatting import coin_name, csv_bytes, dec, iso, json_bytes, token_amount
from queries.records import (
    AttackerAddress,
    Campaign,
    CashOutPoint,
    LedgerTransfer,
    TraceEdge,
    UnauthorizedTrade,
)

KEYTRACE_NAMESPACE = uuid.UUID("5a0c4c52-6f2e-4b8e-9d55-4b6579747261")


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
