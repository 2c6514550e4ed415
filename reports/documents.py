"""Turn gathered facts into report documents (the words and tables a reader sees).

Figures are printed exactly as stored (Decimal strings); charts only draw them.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from decimal import Context, Decimal
from typing import Any

from core.formatting import coin_name, dec, iso, token_amount, usd
from queries.coverage import COVERAGE_KINDS
from queries.records import ClaimFacts, IncidentFacts, TraceEdge, UnauthorizedTrade
from reports.bundle import downsample, thin_markers
from reports.charts import FlowEdge, FlowNode, TimelineBar, balance_chart, flow_diagram, price_chart, timeline
from reports.pdf import Chart, KeyValues, Para, ReportDocument, Section, Table

REASON_CODES = (
    "Reason codes are written by `keytrace detect` (queries/sql/detect/03_trade_scores.sql says how each is "
    "computed); the configuration in force is quoted below.")

TRADE_COLUMNS = ["time (UTC)", "pair", "side", "price", "quantity", "quote qty", "fee", "score", "reasons",
                 "loss USD", "evidence:row"]


def short(addr: str, n: int = 10) -> str:
    return addr if len(addr) <= 2 * n + 2 else f"{addr[:n + 2]}…{addr[-n:]}"


def _trade_rows(facts_trades: list[UnauthorizedTrade]) -> list[list[str]]:
    return [[iso(t.time_utc), t.pair, t.side, dec(t.price), dec(t.quantity), dec(t.quote_quantity),
             f"{dec(t.fee)} {t.fee_asset or ''}".strip(), str(t.score), t.reasons, usd(t.loss_usd),
             f"{t.evidence_sha256[:10]}:{t.source_row}"] for t in facts_trades]


def _flow(edges: list[TraceEdge], cash_addresses: set[str], entity_of: dict[str, str],
          seeds: set[str]) -> tuple[list[FlowNode], list[FlowEdge]]:
    hop_of: dict[str, int] = {}
    for s in seeds:
        hop_of[s] = 0
    for e in edges:
        hop_of.setdefault(e.from_address, max(e.hop - 1, 0))
        hop_of.setdefault(e.to_address, e.hop)
    nodes = []
    for addr, hop in hop_of.items():
        kind = "cash_out" if addr in cash_addresses else ("seed" if addr in seeds or hop == 0 else "address")
        label = f"{entity_of[addr]} {addr[:8]}" if addr in entity_of else short(addr, 6)
        nodes.append(FlowNode(addr, label, hop, kind))
    agg: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    coin: dict[tuple[str, str], str] = {}
    for e in edges:
        agg[(e.from_address, e.to_address)] += token_amount(e.tainted, e.decimals)
        coin[(e.from_address, e.to_address)] = coin_name(e.symbol, e.token)
    flow_edges = [FlowEdge(a, b, f"{_round(v)} {coin[(a, b)]}") for (a, b), v in agg.items()]
    return nodes, flow_edges


def _round(v: Decimal) -> str:
    """A short label for a drawn edge (the exact figure is in the tables)."""
    exponent = v.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        return dec(v.quantize(Decimal("0.0001"), context=Context(prec=200)))
    return dec(v)


def _iso_or_blank(value: object) -> str:
    return iso(value) if isinstance(value, datetime) else ""


def _methodology(loss_definition: str, detection_run: dict[str, object] | None) -> Section:
    blocks: list[Para | KeyValues | Table | Chart | Section] = [
        Para("Sources. Every trade, ledger movement and price bar was read from an exchange export or price "
             "file stored in keytrace's evidence store; each row keeps the SHA-256 of its file and its row "
             "number (shown as evidence:row). Leaked-key dumps are reduced to key fingerprints "
             "(SHA-256 of 'exchange:api_key'); the dump itself is kept only as its hash."),
        Para("Compromised key. A key is compromised when its fingerprint appears in an imported leak dump; "
             "the leak's source and date are those recorded at import."),
        Para("Unauthorised trades. Every trade of every account under investigation is scored with reason "
             "codes (thin pair, price far from the pair's reference, bot-speed bursts, sell-everything-then-"
             "buy-one, several victims on the same pair in the same window, the same counter-order, API "
             "channel, no deposit or withdrawal in the window). Trades that the user's own bot-platform log "
             "explains are legitimate. " + REASON_CODES),
        Para("Loss. " + loss_definition),
        Para("Reference prices. The victim's venue shows the pumped prices, so a pair's reference may come "
             "from another venue's candles for the same BASE/QUOTE; the chart names the source used."),
        Para("Fund flow. Traces follow on-chain transfers from seed addresses for a fixed number of hops "
             "under a taint model (poison, haircut or FIFO; Möser, Böhme and Breuker 2014; Anderson et al. "
             "2018) and stop at addresses labelled as exchanges, bridges or mixers: these cash-out points "
             "name the party that can be asked for the depositing account's records."),
        Para("Integrity. This PDF carries a PAdES signature over the whole file unless it says it is "
             "unsigned (with an RFC 3161 timestamp when a timestamp authority is configured); any change to a "
             "signed byte invalidates it; `keytrace report verify FILE.pdf` checks it. A report signed with "
             "keytrace's trial self-signed certificate says so on its cover; `report verify` does not trust that "
             "certificate unless asked to (--trust-trial-cert). The report's tables "
             "are attached to the PDF as CSV files (open the reader's attachments pane), inside the signed "
             "bytes. The report's SHA-256 is recorded in keytrace's hash-chained audit trail and in the "
             "custody log of the evidence store."),
    ]
    if detection_run:
        blocks.append(KeyValues([
            ("Detection run", str(detection_run.get("run_id", ""))),
            ("Finished", _iso_or_blank(detection_run.get("finished_at"))),
            ("Trades scored", str(detection_run.get("trades_scored", ""))),
            ("Judged unauthorised", str(detection_run.get("unauthorized", ""))),
            ("Thresholds", str(detection_run.get("settings_json", ""))),
        ]))
    else:
        blocks.append(Para("No detection run is recorded in this database."))
    return Section("Methodology", blocks)


def freshness_note(fresh: dict[str, Any] | None) -> str:
    """The cover's statement of when detection ran, on how much data, and whether evidence came in since."""
    if not fresh or fresh.get("finished_at") is None:
        return "FINDINGS NOT COMPUTED: detection has not run on this database; nothing below is a finding."
    text = f"Findings of the detection run of {iso(fresh['finished_at'])} on {fresh['executions_scored']:,} executions."
    if fresh.get("stale"):
        text += (f" OUT OF DATE: {fresh['files_since']:,} evidence file(s) with {fresh['rows_since']:,} rows were "
                 f"added after it started ({fresh['executions_now']:,} executions are held now); run detection "
                 "again before relying on these figures.")
    return text


def _coverage_blocks(f: ClaimFacts) -> list[Para | KeyValues | Table | Chart | Section]:
    """Which periods the account's evidence covers, the gaps, and where its kinds of evidence disagree."""
    covered = [c for c in f.coverage if c.kind != "none"]
    gaps = [c for c in f.coverage if c.kind == "none"]
    blocks: list[Para | KeyValues | Table | Chart | Section] = [Table(
        ["evidence", "from (UTC)", "to (UTC)", "files", "rows"],
        [[COVERAGE_KINDS.get(c.kind, c.kind), iso(c.first_utc), iso(c.last_utc), str(c.files), str(c.rows)]
         for c in covered], numeric=[3, 4],
        caption="Evidence coverage: the span from the first to the last row of each kind of the account's "
                "evidence of executions (files whose spans overlap are one period).",
        empty_text="No evidence of this account's executions is in the database.")]
    if gaps:
        blocks.append(Para("No evidence covers " + "; ".join(f"{iso(g.first_utc)} to {iso(g.last_utc)}" for g in gaps)
                           + ": nothing is concluded about trading in these periods."))
    blocks.append(Table(
        ["time (UTC)", "pair", "conflict", "kept", "other", "other evidence:rows", "detail"],
        [[iso(c.time_utc), c.pair or "", c.conflict.replace("_", " "), f"{c.kept_from or ''} {c.kept_value or ''}".strip(),
          f"{c.other_from} {c.other_value or ''}".strip(), f"{c.other_sha256[:10]}:{c.other_rows}", c.detail]
         for c in f.conflicts], wrap=[5, 6],
        caption="Conflicts between kinds of evidence: where two records of the same executions disagree, the "
                "higher kind (fills over orders over statements) is kept and the disagreement is listed, never merged.",
        empty_text="The account's kinds of evidence agree wherever they record the same executions."))
    return blocks


TRIAL_COVER_NOTE = ("Signed with a TRIAL self-signed certificate: the signature shows the file is unchanged "
                    "since it was signed, not who issued it. Not for filing with law enforcement.")
UNSIGNED_COVER_NOTE = "UNSIGNED: this copy carries no signature and cannot show whether it was changed."


def signature_note(signed: bool, trial: bool, signed_note: str) -> str:
    """The cover's word on the signature, decided before signing: ``trial`` when the signing identity is
    the workspace's trial certificate."""
    if not signed:
        return UNSIGNED_COVER_NOTE
    return TRIAL_COVER_NOTE if trial else signed_note


def claim_document(f: ClaimFacts, *, signed: bool, trial: bool = False) -> ReportDocument:
    h = f.header
    ident = [("Case", h.case_id or "(none)"), ("Claim", str(h.claim_id)), ("Exchange", h.exchange),
             ("Account", h.account), ("Claim status", h.status.replace("_", " ").capitalize())]
    c = f.claimant
    withheld = f"withheld for role {c.visible_as}"
    claimant = KeyValues([
        ("Login name", c.username or withheld),
        ("Name", c.name or (withheld if c.visible_as not in ("legal", "admin") else "(not given)")),
        ("E-mail", c.email or (withheld if c.visible_as not in ("legal", "admin") else "(not given)")),
        ("Phone", c.phone or (withheld if c.visible_as not in ("legal", "admin") else "(not given)")),
        ("Claim filed", iso(h.created_at)),
        ("Loss stated by the claimant (USD)", usd(h.claimed_loss_usd) or "(not stated)"),
    ])
    level = max((o.level for o in f.ownership), default=None)
    ownership_blocks: list[Para | KeyValues | Table | Chart | Section] = [
        Para(f"Ownership evidence level: {level} of 100." if level is not None
             else "Ownership evidence level: not evaluated."),
        Table(["level", "reason", "evaluated (UTC)"],
              [[str(o.level), o.reason, iso(o.evaluated_at)] for o in f.ownership], wrap=[1],
              numeric=[0], empty_text="No ownership evidence is recorded for this claim."),
        Table(["fraud signal", "detail"], [[x.signal, x.detail] for x in f.fraud_signals], wrap=[1],
              caption="Fraud signals: warning signs of a false or duplicate claim (queries/sql/claims/fraud_signals.sql).",
              empty_text="No fraud signal: the account, key and wallets are claimed by this claimant only, the "
                         "claimed loss is in line with the computed one, and the account's own exports are here."),
        Table(["wallet address proved by signature (EIP-191)", "verified (UTC)"],
              [[w.address, iso(w.verified_at)] for w in f.wallet_proofs],
              empty_text="No wallet signature was verified for this claim."),
    ]
    keys_table = Table(
        ["key fingerprint (SHA-256)", "leak source", "leak date", "linked by", "key created", "permissions"],
        [[k.fingerprint, k.leak_source, k.leak_date.isoformat() if k.leak_date else "unknown", k.linked_by,
          iso(k.key_created_utc) or "unknown", k.permissions or ""] for k in f.compromised_keys], wrap=[1, 5],
        empty_text="No key of this account was found in an imported leak.")
    key_blocks: list[Para | KeyValues | Table | Chart | Section] = [
        Para(f"Fingerprint match: {len(f.compromised_keys)} leaked key record(s) match this account"
             + (f" (claim key fingerprint {h.key_fingerprint})." if h.key_fingerprint else ".")),
        keys_table]
    loss = f.loss
    loss_blocks: list[Para | KeyValues | Table | Chart | Section] = []
    if loss:
        loss_blocks.append(KeyValues([
            ("Loss (USD)", usd(loss.loss_usd) if loss.loss_usd is not None else "not computable"),
            ("Net value change (USD)", usd(loss.net_value_change_usd)),
            ("Unauthorised trades", str(loss.unauthorized_trades)),
            ("Trades without a fair price", str(loss.unpriced_trades)),
            ("First unauthorised trade", iso(loss.first_unauthorized_utc)),
            ("Last unauthorised trade", iso(loss.last_unauthorized_utc)),
            ("Method", f.loss_definition)]))
    elif not any(c.kind != "none" for c in f.coverage):
        loss_blocks.append(Para("No evidence of this account's executions (trade history, filled orders or "
                                "statement) is in the database, so nothing can be concluded about unauthorised "
                                "trading and no loss is computed."))
    else:
        loss_blocks.append(Para("No unauthorised trade was found in the periods the account's evidence covers "
                                "(below), so no loss is computed."))
    loss_blocks.extend(_coverage_blocks(f))
    if f.campaigns:
        loss_blocks.append(Table(["campaign", "pair", "start (UTC)", "end (UTC)", "accounts", "trades", "loss USD"],
                                 [[c.campaign_id, c.pair, iso(c.start_utc), iso(c.end_utc), str(c.accounts),
                                   str(c.trades), usd(c.loss_usd)] for c in f.campaigns], numeric=[4, 5, 6],
                                 caption="Campaigns this account's unauthorised trades belong to."))
    gains = sum(1 for t in f.trades if t.loss_usd is not None and t.loss_usd < 0)
    trades = Table(TRADE_COLUMNS, _trade_rows(f.trades), numeric=[3, 4, 5, 6, 7, 9], wrap=[8],
                   caption=f"{len(f.trades)} unauthorised trades; evidence:row = first 10 hex digits of the "
                           "evidence file's SHA-256 (full hashes in the evidence list) and the row in that file."
                           + (f" {gains} of them show a negative loss: they received more than their fair value "
                              "(typically the sells that funded the pump, at or above the pre-attack price); they "
                              "are netted against the account's other unauthorised trades, and the account's loss "
                              "is never below zero." if gains else ""),
                   empty_text="No unauthorised trade was found for this account.")

    # charts
    charts: list[Para | KeyValues | Table | Chart | Section] = []
    pairs = sorted({t.pair for t in f.trades})
    for n, pair in enumerate(pairs, 1):
        ref = [(p.open_time, p.close) for p in f.prices if p.pair == pair]
        src = next((f"{p.source} {p.interval}" for p in f.prices if p.pair == pair), "none found")
        pts = thin_markers([(t.time_utc, t.price, t.unauthorized) for t in f.chart_trades if t.pair == pair])
        flagged = sum(1 for t in f.trades if t.pair == pair)
        ref_d = downsample(ref)
        charts.append(Chart(price_chart(pair, ref_d, pts, src),
                            f"Figure {n}: {pair}, the account's trade prices against the reference close "
                            f"({src}, {len(ref)} bars); {flagged} unauthorised trades marked in red."
                            + (" The only reference found is the victim's own venue, whose prices the attack "
                               "moved." if any(p.source == h.exchange for p in f.prices if p.pair == pair)
                               else "")))
    by_asset: dict[str, list[tuple[datetime, Decimal]]] = defaultdict(list)
    basis = "ledger"
    for b in f.balances:
        by_asset[b.asset].append((b.time_utc, b.balance))
        basis = b.basis
    traded = {a for p in pairs for a in p.split("/")}
    chosen = {a: downsample(v) for a, v in by_asset.items() if a in traded} or {
        a: downsample(v) for a, v in list(by_asset.items())[:4]}
    basis_text = ("no balance movement is recorded for the account" if not f.balances else
                  "from the exchange ledger" if basis == "ledger" else
                  "net change from the account's trades and fees since its first recorded trade "
                  "(the starting balance is not in the export)")
    finals = "; ".join(f"{a} {dec(v[-1][1])}" for a, v in sorted(by_asset.items()) if a in chosen)
    charts.append(Chart(balance_chart(h.account, chosen),
                        f"Figure {len(pairs) + 1}: balance per asset over time, {basis_text}. "
                        f"Last values: {finals or 'none'}."))

    # fund flow
    cash_addresses = {p.address for p in f.cash_out_points}
    entity_of = {p.address: p.entity for p in f.cash_out_points}
    seeds = {s.lower() for t in f.traces for s in t.seeds}
    nodes, flow_edges = _flow(f.trace_edges, cash_addresses, entity_of, seeds)
    flow_blocks: list[Para | KeyValues | Table | Chart | Section] = []
    if f.traces and f.extra.get("trace_scope") == "incident":
        flow_blocks.append(Para(
            "No trace starts from an address of this claim (a wallet the claimant proved, or an address in the "
            "account's deposit and withdrawal ledger). The traces below follow the incident's proceeds as a "
            "whole: they show where the attackers' funds went, not which transfer carried this account's loss."))
    if f.traces:
        flow_blocks.append(Table(["trace", "model", "direction", "hops", "seeds"],
                                 [[t.trace_id[:12], t.model, t.direction, str(t.hops),
                                   " ".join(t.seeds)] for t in f.traces], wrap=[4]))
        flow_blocks.append(Chart(flow_diagram(nodes, flow_edges, "Fund flow from the seed addresses"),
                                 f"Figure {len(pairs) + 2}: fund flow, {len(f.trace_edges)} traced transfers; "
                                 f"{len(cash_addresses)} cash-out points boxed in red."))
    else:
        flow_blocks.append(Para("No trace is recorded: run `keytrace trace` from the attackers' or the claimant's "
                                "addresses to follow the funds."))
    flow_blocks.append(Table(
        ["entity", "category", "deposit address", "coin", "tainted amount", "first (UTC)", "last (UTC)", "paths"],
        [[p.entity, p.category, p.address, coin_name(p.symbol, p.token),
          dec(token_amount(p.tainted_amount, p.decimals)), iso(p.first_utc), iso(p.last_utc), str(p.path_count)]
         for p in f.cash_out_points], numeric=[4, 7],
        caption="Cash-out points: the exchange or service that received traced funds can be asked for the "
                "records of the depositing account.", empty_text="No cash-out point was reached."))
    flow_blocks.append(Table(
        ["hop", "time (UTC)", "transaction hash", "from", "to", "coin", "tainted"],
        [[str(e.hop), iso(e.time_utc), e.tx_hash, short(e.from_address, 6), short(e.to_address, 6),
          coin_name(e.symbol, e.token), dec(token_amount(e.tainted, e.decimals))] for e in f.trace_edges], numeric=[0, 6], empty_text="No traced transfer."))

    evidence: list[Para | KeyValues | Table | Chart | Section] = [
        Table(["SHA-256", "file", "kind", "bytes", "submitted (UTC)"],
              [[e.sha256, e.original_name[:34], e.kind, str(e.size_bytes), iso(e.submitted_at)] for e in f.evidence], numeric=[3], empty_text="No evidence file is linked to this claim."),
        Section("Custody log", [Table(
            ["SHA-256 (first 16)", "at (UTC)", "actor", "action", "details"],
            [[c.sha256[:16], iso(c.at_utc), c.actor, c.action, c.details] for c in f.custody], wrap=[2, 4], empty_text="No custody entry.")]),
    ]
    if loss and loss.loss_usd is not None:
        headline = f"Loss computed by keytrace: {usd(loss.loss_usd)} USD over {len(f.trades)} unauthorised trades."
    elif f.trades:
        headline = (f"{len(f.trades)} unauthorised trades; no loss could be computed (no fair price for "
                    f"{loss.unpriced_trades if loss else len(f.trades)} of them).")
    else:
        headline = "No unauthorised trade was found for this account, so keytrace computes no loss."
    notes = [headline, freshness_note(f.freshness),
             signature_note(signed, trial, "This report is signed (PAdES); see the methodology appendix for how "
                                           "to check it.")]
    return ReportDocument(
        title=f"Claim report: claim {h.claim_id}",
        subtitle=(f"Claimed unauthorised trading on {h.exchange} account {h.account}: none found" if not f.trades
                  else f"Unauthorised trading on {h.exchange} account {h.account}"
                  + (" through a leaked API key" if f.compromised_keys else "")),
        identifiers=ident, generated_at=f.generated_at, cover_notes=notes,
        sections=[
            Section("Claimant", [claimant]),
            Section("Ownership evidence", ownership_blocks),
            Section("Compromised-key evidence", key_blocks),
            Section("Loss", loss_blocks),
            Section("Unauthorised trades", [trades], new_page=True, landscape=True),
            Section("Charts", charts, new_page=True),
            Section("Fund flow and cash-out points", flow_blocks, new_page=True),
            Section("Evidence and custody", evidence, new_page=True),
        ],
        appendices=[_methodology(f.loss_definition, f.detection_run)])


def incident_document(f: IncidentFacts, *, signed: bool, trial: bool = False) -> ReportDocument:
    total = sum((v.loss_usd for v in f.victims if v.loss_usd is not None), Decimal(0))
    ident = [("Incident", "3Commas API-key leak"), ("Scope", "every account in this database")]
    notes = [f"{len(f.victims)} victim accounts, {f.trade_count} unauthorised trades, {len(f.campaigns)} "
             f"campaigns; total loss {usd(total)} USD.", freshness_note(f.freshness),
             signature_note(signed, trial, "This report is signed (PAdES).")]
    campaigns = Table(["campaign", "pair", "start (UTC)", "end (UTC)", "accounts", "trades", "loss USD"],
                      [[c.campaign_id, c.pair, iso(c.start_utc), iso(c.end_utc), str(c.accounts), str(c.trades),
                        usd(c.loss_usd)] for c in f.campaigns],
                      numeric=[4, 5, 6], empty_text="No campaign was found.")
    victims = Table(["exchange", "account", "trades", "loss USD", "first (UTC)", "last (UTC)", "leaked key", "claims"],
                    [[v.exchange, v.account, str(v.unauthorized_trades), usd(v.loss_usd),
                      iso(v.first_unauthorized_utc), iso(v.last_unauthorized_utc),
                      "yes" if v.compromised_key else "no", v.claim_ids] for v in f.victims], numeric=[2, 3], empty_text="No victim account.")
    # the pairs that drained balances; a pair whose unauthorised trades netted a gain (selling the victim's
    # holdings at or above the fair price, to pay for the pumped coin) is counted, not listed as a "loss"
    drained = [r for r in f.losses_by_exchange_pair if r.loss_usd is not None and r.loss_usd > 0]
    netted = len(f.losses_by_exchange_pair) - len(drained)
    by_pair = Table(["exchange", "pair", "accounts", "trades", "loss USD"],
                    [[r.exchange, r.pair, str(r.accounts), str(r.trades), usd(r.loss_usd)] for r in drained],
                    numeric=[2, 3, 4], empty_text="No loss.",
                    caption=(f"Pairs whose unauthorised trades lost value; {netted} more pair(s) netted no loss "
                             "(listed with their signed totals in losses_by_exchange_pair.csv of the evidence "
                             "bundle).") if netted else None)
    groups = Table(["entity", "category", "coin", "deposit addresses", "tainted amount", "first (UTC)", "last (UTC)",
                    "paths"],
                   [[g.entity, g.category, coin_name(g.symbol, g.token), str(g.addresses),
                     dec(token_amount(g.tainted_amount, g.decimals)), iso(g.first_utc), iso(g.last_utc),
                     str(g.path_count)] for g in f.cash_out_groups], numeric=[3, 4, 7],
                   caption="Whom to ask for records: each entity received traced funds at the deposit addresses "
                           "listed below.", empty_text="No cash-out point was reached by any trace.")
    points = Table(["entity", "deposit address", "coin", "tainted amount", "first (UTC)", "paths"],
                   [[p.entity, p.address, coin_name(p.symbol, p.token), dec(token_amount(p.tainted_amount, p.decimals)),
                     iso(p.first_utc), str(p.path_count)] for p in f.cash_out_points], numeric=[3, 5], empty_text="None.")
    attackers = Table(["address", "chain", "basis", "confidence", "first seen (UTC)", "last seen (UTC)"],
                      [[a.address, str(a.chain_id or ""), a.basis, str(a.confidence), iso(a.first_seen),
                        iso(a.last_seen)] for a in f.attacker_addresses], wrap=[2], numeric=[3], empty_text="No attacker address is known.")
    evidence = Table(["SHA-256", "file", "kind", "bytes", "submitted (UTC)"],
                     [[e.sha256, e.original_name[:34], e.kind, str(e.size_bytes), iso(e.submitted_at)]
                      for e in f.evidence], numeric=[3], empty_text="None.")
    return ReportDocument(
        title="Incident report", subtitle="Unauthorised trading through API keys leaked from 3Commas",
        identifiers=ident, generated_at=f.generated_at, cover_notes=notes,
        sections=[
            Section("Campaigns", [campaigns, Chart(
                timeline([TimelineBar(f"{c.campaign_id[:12]} {c.pair}", c.start_utc, c.end_utc,
                                      f"{c.accounts} accounts, {c.trades} trades, {usd(c.loss_usd)} USD")
                          for c in f.campaigns], "Campaign timeline (UTC)"),
                f"Figure 1: campaign timeline, {len(f.campaigns)} campaigns; each bar runs from the campaign's "
                "first to its last unauthorised trade.")]),
            Section("Losses by exchange and pair", [by_pair, Para(f"Total loss: {usd(total)} USD.")]),
            Section("Victims", [victims], new_page=True),
            Section("Cash-out points by entity", [groups, Section("Every cash-out point", [points])],
                    new_page=True),
            Section("Attacker addresses", [attackers]),
            Section("Evidence", [evidence], new_page=True),
        ],
        appendices=[_methodology(f.loss_definition, f.detection_run)])
