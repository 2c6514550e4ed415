"""Write the whole demo incident into a folder: exports, dump, klines, chain files, claims, ground truth.

Layout (every path is listed in ``manifest.json`` with how the build step loads it)::

    exchanges/binance/<uid>/trade_history.csv           Spot Trade History (plain, BOM or quoted)
    exchanges/binance/<uid>/transaction_statement.csv    Transaction History statement (some accounts; for some
                                                         victims the only record of their trades)
    exchanges/binance/<uid>/deposit_history.csv          Deposit / withdrawal history v1 (some accounts)
    exchanges/binance/<uid>/withdrawal_history.csv
    exchanges/binance/<uid>/api_key_permissions.json     GET /sapi/v1/account/apiRestrictions (victims)
    exchanges/kucoin/<uid>/trade_history.csv             v3 export, or the current export's fills
    exchanges/kucoin/<uid>/order_splitting.csv, filled_orders.csv   (order-splitting and filled orders; for
                                                         some victims Filled Orders alone)
    exchanges/kucoin/<uid>/fills_pageN.json, orders_pageN.json   REST /api/v1/fills, /api/v1/orders
    exchanges/kucoin/<uid>/deposits.csv, withdrawals.csv
    3commas/<exchange>_<uid>_deals.json                  GET /ver1/deals with each deal's market orders
    prices/binance/<PAIR>-1h-<YYYY>-<MM>.csv             Binance public klines (the reference venue)
    leaks/3commas_api_keys_2022-12-28.csv                the leaked-key dump (keys, secrets, passphrases)
    chain/token_transfers.csv|.jsonl, chain/blocks.jsonl, chain/address_labels.csv
    investigation/counterparty_withdrawal_addresses.csv   the venues' answer: seeds of the fund-flow trace
    claims/claims.json
    ground_truth/ground_truth.json, trades.csv, accounts.csv, campaigns.csv, cash_out_points.csv, claims.csv

Its length (about 420 lines) is the one writer of every demo file and of the manifest that names them;
the world model is incident_demo/world.py and the export formats incident_demo/exports.py.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import random
import shutil
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.errors import InputError
from incident_demo import exports
from incident_demo.chain import Chain
from incident_demo.claims import ClaimSpec, attach_uploads, choose_claimants, claims_json, price_claims
from incident_demo.markets import BY_NAME, PAIRS, T0, T_END, Markets
from incident_demo.truth import account_loss, executions, first_unauthorized, trade_loss
from incident_demo.world import BINANCE, KUCOIN, Account, WorldBuilder, kucoin_id, rand_str
from queries.detect import LOSS_DEFINITION

MANIFEST = "manifest.json"
LEAK_DATE = "2022-12-28"


@dataclass
class Generated:
    out: Path
    seed: int
    accounts: int
    files: list[dict[str, Any]] = field(default_factory=list)
    summary: dict[str, Any] = field(default_factory=dict)


def iso(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


class _Writer:
    def __init__(self, out: Path) -> None:
        self.out = out
        self.files: list[dict[str, Any]] = []
        self.sha256: dict[str, str] = {}

    def put(self, rel: str, data: bytes, **load: Any) -> str:
        path = self.out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        self.sha256[rel] = hashlib.sha256(data).hexdigest()
        if load:
            self.files.append({"path": rel, "sha256": self.sha256[rel], **load})
        return rel


def _prepare(out: Path) -> None:
    if out.exists():
        if not out.is_dir():
            raise InputError("the demo output path is not a folder", file=str(out))
        if any(out.iterdir()):
            if not (out / MANIFEST).is_file():
                raise InputError("the demo output folder is not empty and holds no earlier demo "
                                 f"({MANIFEST}); choose an empty folder", file=str(out))
            shutil.rmtree(out)
    out.mkdir(parents=True, exist_ok=True)


def generate(out: Path, *, seed: int = 1, accounts: int = 300) -> Generated:
    """Generate the incident for ``seed`` with ``accounts`` exchange accounts into ``out``."""
    if accounts < 20:
        raise InputError(f"the demo needs at least 20 accounts, not {accounts}")
    _prepare(out)
    markets = Markets(seed)
    world = WorldBuilder(seed, accounts, markets)
    world.build()
    chain = Chain(seed)
    w = _Writer(out)

    # chain: victims' own withdrawals, the attackers' cash-out, unrelated traffic
    withdrawals = []
    for acc in world.accounts:
        for mv in acc.movements:
            if mv.on_chain:
                rng = random.Random(f"keytrace-demo-wd:{seed}:{acc.uid}:{mv.t}")
                withdrawals.append((mv, chain.victim_withdrawal(acc.exchange, mv.address, mv.t + rng.randint(180, 1500),
                                                                mv.amount)))
    proceeds: dict[str, Decimal] = {}
    for camp in world.campaigns:
        total = Decimal(0)
        for uid in camp.victims:
            for f in world.account(camp.exchange, uid).fills:
                if f.campaign == camp.cid and f.pair == camp.pair:
                    total += f.quote_quantity * markets.fair_usd(f.quote, camp.start)
        proceeds[camp.cid] = total
        chain.cash_out(camp.cid, camp.exchange, camp.end, total)
    chain.master_exit(max(c.end for c in world.campaigns))
    chain.noise(max(60, accounts), T0 + 15 * 86400, T_END - 86400)
    chain.finalize()
    for mv, tr in withdrawals:
        mv.tx_hash = tr.tx_hash

    # exchange exports
    rows: dict[int, tuple[str, int]] = {}
    for acc in world.accounts:
        _write_account(w, acc, markets, rows)

    # reference klines
    for pair in PAIRS:
        for year, month in markets.months:
            w.put(f"prices/binance/{pair.fused}-1h-{year}-{month:02d}.csv",
                  exports.binance_klines(markets, pair.name, year, month),
                  load="prices", format="binance_klines", pair=pair.name)

    # leaked-key dump
    w.put(f"leaks/3commas_api_keys_{LEAK_DATE}.csv", _leak_dump(seed, world.accounts, accounts),
          load="leaks", format="leak_dump", source="3Commas API key publication", leak_date=LEAK_DATE)

    # chain files
    w.put("chain/token_transfers.csv", chain.token_transfers_csv(), load="chain", format="ethereumetl_token_transfers_csv")
    w.put("chain/token_transfers.jsonl", chain.token_transfers_jsonl(), load="chain_alt",
          format="ethereumetl_token_transfers_jsonl")
    w.put("chain/blocks.jsonl", chain.blocks_jsonl(), load="chain_blocks", format="ethereumetl_blocks_jsonl")
    w.put("chain/address_labels.csv", chain.labels_csv(), load="labels", format="address_labels")
    # what the venues answered to the investigators' request about the counterparty accounts: where their
    # proceeds were withdrawn to (the seeds of a forward trace)
    seeds = [[chain.attacker_addresses[c.cid][0], c.exchange, c.cid,
              f"withdrawal address of the account that sold {c.pair} into the victims' buys"]
             for c in world.campaigns if c.cid in chain.attacker_addresses]
    w.put("investigation/counterparty_withdrawal_addresses.csv",
          _csv(["address", "exchange", "campaign", "note"], seeds), load="trace_seeds", format="trace_seeds")

    # losses, claims, ground truth
    losses = {(a.exchange, a.uid): account_loss(a, markets) for a in world.accounts}
    specs = choose_claimants(seed, world.accounts)
    price_claims(seed, specs, losses)
    attach_uploads(specs, w.files)
    w.put("claims/claims.json", claims_json(seed, specs), load="claims", format="keytrace_demo_claims")
    summary = _ground_truth(w, seed, world, markets, chain, losses, specs, rows, proceeds)

    w.put("README.md", _readme(seed, accounts, summary))
    manifest = {"format": "keytrace-demo-manifest/1", "seed": seed, "accounts": accounts,
                "files": w.files}
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    return Generated(out, seed, accounts, w.files, summary)


def _write_account(w: _Writer, acc: Account, markets: Markets, rows: dict[int, tuple[str, int]]) -> None:
    base = f"exchanges/{acc.exchange}/{acc.uid}"
    who = {"exchange": acc.exchange, "account": acc.uid}
    if acc.exchange == BINANCE:
        if acc.evidence != "statement":
            data, r = exports.binance_trade_history(acc)
            rel = w.put(f"{base}/trade_history.csv", data, load="ingest", format="binance_trade_history",
                        variant=acc.export, **who)
            rows.update({seq: (rel, n) for seq, n in r.items()})
        if acc.ledger == "statement" or acc.evidence in ("statement", "both"):
            data, r = exports.binance_statement(acc)
            rel = w.put(f"{base}/transaction_statement.csv", data, load="ingest",
                        format="binance_transaction_statement", style=acc.statement_style, **who)
            if acc.evidence == "statement":   # the statement's legs are the only record of the trades
                rows.update({seq: (rel, n) for seq, n in r.items()})
        if acc.ledger == "histories":
            w.put(f"{base}/deposit_history.csv", exports.binance_movements(acc, "deposit"), load="ingest",
                  format="binance_deposit_history_v1", **who)
            if exports.movements_of(acc, "withdrawal"):
                w.put(f"{base}/withdrawal_history.csv", exports.binance_movements(acc, "withdrawal"),
                      load="ingest", format="binance_withdrawal_history_v1", **who)
        if acc.role == "victim" and acc.api_restrictions:
            w.put(f"{base}/api_key_permissions.json", exports.binance_api_restrictions(acc), load="api_key",
                  format="binance_api_restrictions", api_key=acc.api_key, **who)
    else:
        if acc.export == "rest_fills":
            for i, (data, r) in enumerate(exports.kucoin_rest_fills(acc), start=1):
                rel = w.put(f"{base}/fills_page{i}.json", data, load="ingest", format="kucoin_api_fills", **who)
                rows.update({seq: (rel, n) for seq, n in r.items()})
            for i, data in enumerate(exports.kucoin_rest_orders(acc), start=1):
                w.put(f"{base}/orders_page{i}.json", data, load="ingest", format="kucoin_api_orders", **who)
        elif acc.export == "v3":
            data, r = exports.kucoin_v3(acc)
            rel = w.put(f"{base}/trade_history.csv", data, load="ingest", format="kucoin_trade_history_v3", **who)
            rows.update({seq: (rel, n) for seq, n in r.items()})
        elif acc.export == "filled_orders":   # the Filled Orders view is the only record of the trades
            data, r = exports.kucoin_filled_orders(acc, markets)
            rel = w.put(f"{base}/filled_orders.csv", data, load="ingest", format="kucoin_filled_orders",
                        zone=exports.kucoin_zone(acc), rows_are=acc.order_rows, **who)
            rows.update({seq: (rel, n) for seq, n in r.items()})
        else:
            data, r = exports.kucoin_order_splitting(acc, markets)
            rel = w.put(f"{base}/order_splitting.csv", data, load="ingest", format="kucoin_order_splitting",
                        zone=exports.kucoin_zone(acc), **who)
            rows.update({seq: (rel, n) for seq, n in r.items()})
            if int(acc.uid) % 3 == 0 or acc.evidence == "both":  # the orders view of the same export
                w.put(f"{base}/filled_orders.csv", exports.kucoin_filled_orders(acc, markets)[0], load="ingest",
                      format="kucoin_filled_orders", zone=exports.kucoin_zone(acc), **who)
        if acc.ledger == "histories":
            w.put(f"{base}/deposits.csv", exports.kucoin_movements(acc, "deposit"), load="ingest",
                  format="kucoin_deposits", **who)
            if exports.movements_of(acc, "withdrawal"):
                w.put(f"{base}/withdrawals.csv", exports.kucoin_movements(acc, "withdrawal"), load="ingest",
                      format="kucoin_withdrawals", **who)
    if acc.three_commas and acc.deals:
        w.put(f"3commas/{acc.exchange}_{acc.uid}_deals.json", exports.three_commas_deals(acc), load="bot_log",
              format="three_commas_deals", **who)


_OTHER_EXCHANGES = (("ftx", 0.10), ("okx", 0.06), ("coinbasepro", 0.05), ("bybit", 0.05), ("huobi", 0.04),
                    ("kucoin", 0.20), ("binance", 0.50))
_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


def _fake_key(rng: random.Random, exchange: str) -> tuple[str, str, str]:
    if exchange == "binance":
        return rand_str(rng, _ALNUM, 64), rand_str(rng, _ALNUM, 64), ""
    if exchange == "kucoin":
        t = T0 - rng.randint(0, 900) * 86400
        sec = "-".join(rand_str(rng, _HEX, n) for n in (8, 4, 4, 4, 12))
        return kucoin_id(rng, t), sec, rand_str(rng, string.ascii_lowercase, 7) + str(rng.randint(1, 999))
    if exchange == "okx":
        key = "-".join(rand_str(rng, _HEX, n) for n in (8, 4, 4, 4, 12))
        return key, rand_str(rng, "0123456789ABCDEF", 32), rand_str(rng, _ALNUM, 12)
    if exchange == "coinbasepro":
        return rand_str(rng, _HEX, 32), rand_str(rng, _ALNUM + "+/", 86) + "==", rand_str(rng, string.ascii_lowercase + string.digits, 11)
    if exchange == "ftx":
        return rand_str(rng, _ALNUM + "_-", 40), rand_str(rng, _ALNUM + "_-", 40), ""
    if exchange == "bybit":
        return rand_str(rng, _ALNUM, 18), rand_str(rng, _ALNUM, 36), ""
    return (f"{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 5)}",
            f"{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 8)}-{rand_str(rng, _HEX, 5)}", "")


def _leak_dump(seed: int, accounts: list[Account], n_accounts: int) -> bytes:
    """The published dump: exchange, api_key, secret, passphrase; demo accounts' keys among thousands."""
    rng = random.Random(f"keytrace-demo-leak:{seed}")
    rows = [(a.exchange, a.api_key, a.secret, a.passphrase) for a in accounts if a.key_leaked]
    total = max(1000, 16 * n_accounts)
    while len(rows) < total:
        r = rng.random()
        acc = 0.0
        exchange = _OTHER_EXCHANGES[-1][0]
        for name, share in _OTHER_EXCHANGES:
            acc += share
            if r < acc:
                exchange = name
                break
        rows.append((exchange, *_fake_key(rng, exchange)))
    rng.shuffle(rows)
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(["exchange", "api_key", "secret", "passphrase"])
    wr.writerows(rows)
    return buf.getvalue().encode()


def _csv(header: list[str], rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    wr = csv.writer(buf, lineterminator="\n")
    wr.writerow(header)
    wr.writerows([[("" if v is None else str(v)) for v in row] for row in rows])
    return buf.getvalue().encode()


def _ground_truth(w: _Writer, seed: int, world: WorldBuilder, m: Markets, chain: Chain,
                  losses: dict[tuple[str, str], Decimal], specs: list[ClaimSpec],
                  rows: dict[int, tuple[str, int]], proceeds: dict[str, Decimal]) -> dict[str, Any]:
    # one row per execution as the account's evidence records it (truth.executions): a fill, or the fills
    # one Filled Orders row or one statement second holds, summed (trade_seq: its first fill)
    trade_rows = []
    for acc in world.accounts:
        t0 = first_unauthorized(acc.fills)
        for ex in sorted(executions(acc), key=lambda e: e.first.seq):
            f = ex.first
            rel, n = rows[f.seq]
            loss = sum((trade_loss(p, t0, m) for p in ex.fills), Decimal(0)).quantize(Decimal("1e-8")) \
                if f.unauthorized and t0 is not None else None
            # the time as the file gives it: KuCoin's REST fills carry milliseconds
            when = iso(f.t) if acc.export != "rest_fills" else iso(f.t)[:-1] + f".{f.ms:03d}Z"
            counter = f.counter_order_id if f.exchange == KUCOIN and acc.evidence != "filled_orders" else ""
            trade_rows.append([f.seq, f.exchange, f.account, when, f.pair, f.side, exports.plain(ex.price),
                               exports.plain(ex.quantity), exports.plain(ex.quote_quantity), exports.plain(ex.fee),
                               f.fee_asset, f.order_id if f.exchange == KUCOIN else "", counter, f.channel,
                               "true" if f.unauthorized else "false", f.campaign, f.deal_id, rel, w.sha256[rel], n,
                               None if loss is None else exports.plain(loss)])
    w.put("ground_truth/trades.csv", _csv(
        ["trade_seq", "exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity",
         "fee", "fee_asset", "order_id", "counter_order_id", "channel", "unauthorized", "campaign",
         "three_commas_deal_id", "file", "file_sha256", "source_row", "loss_usd"], trade_rows))

    acc_rows = []
    for acc in world.accounts:
        t0 = first_unauthorized(acc.fills)
        loss = losses[(acc.exchange, acc.uid)]
        execs = executions(acc)
        acc_rows.append([acc.exchange, acc.uid, acc.role, "true" if acc.key_leaked else "false", acc.campaign,
                         iso(t0) if t0 else None, sum(1 for e in execs if e.unauthorized), len(execs),
                         exports.fixed(loss, 2), exports.plain(loss.quantize(Decimal("1e-8"))),
                         acc.wallet, acc.evidence])
    w.put("ground_truth/accounts.csv", _csv(
        ["exchange", "account", "role", "key_leaked", "campaign", "first_unauthorized_utc", "unauthorized_trades",
         "trades", "loss_usd", "loss_usd_exact", "own_wallet", "trade_evidence"], acc_rows))

    campaigns: list[dict[str, Any]] = []
    for c in world.campaigns:
        victims = [world.account(c.exchange, uid) for uid in c.victims]
        fills = [e.first for a in victims for e in executions(a) if e.unauthorized]
        loss = sum((losses[(c.exchange, a.uid)] for a in victims), Decimal(0))
        buys = [f for f in fills if f.pair == c.pair]
        campaigns.append({
            "campaign": c.cid, "exchange": c.exchange, "pair": c.pair,
            "window_start_utc": iso(min(f.t for f in fills)) if fills else iso(c.start),
            "window_end_utc": iso(max(f.t for f in fills)) if fills else iso(c.end),
            "accounts": sorted(c.victims), "unauthorized_trades": len(fills), "thin_coin_buys": len(buys),
            "price_multiple_range": [str(Decimal(c.mult_lo) / 100), str(Decimal(c.mult_hi) / 100)],
            "loss_usd": exports.fixed(loss, 2),
            "attacker_proceeds_usd": exports.fixed(proceeds[c.cid], 2),
            "attacker_counter_orders": c.attacker_orders if c.exchange == KUCOIN else [],
            "attacker_addresses": chain.attacker_addresses.get(c.cid, [])})
    w.put("ground_truth/campaigns.csv", _csv(
        ["campaign", "exchange", "pair", "window_start_utc", "window_end_utc", "accounts", "unauthorized_trades",
         "loss_usd"], [[c["campaign"], c["exchange"], c["pair"], c["window_start_utc"], c["window_end_utc"],
                        ";".join(c["accounts"]), c["unauthorized_trades"], c["loss_usd"]] for c in campaigns]))

    points = chain.cash_out_points()
    w.put("ground_truth/cash_out_points.csv", _csv(
        ["address", "entity", "category", "token", "amount_raw", "transfers", "first_time_utc", "last_time_utc"],
        [[p["address"], p["entity"], p["category"], p["token"], p["amount_raw"], p["transfers"],
          p["first_time_utc"], p["last_time_utc"]] for p in points]))
    claim_rows = [[s.ref, s.exchange, s.account, s.fraud or "", str(s.claimed_loss_usd),
                   "" if s.true_loss_usd is None else exports.fixed(s.true_loss_usd, 2),
                   "true" if s.signs_wallet else "false", s.wallet] for s in specs]
    w.put("ground_truth/claims.csv", _csv(
        ["ref", "exchange", "account", "fraud", "claimed_loss_usd", "true_loss_usd", "signs_wallet", "wallet"],
        claim_rows))

    total_loss = sum(losses.values(), Decimal(0))
    n_unauth = sum(1 for a in world.accounts for e in executions(a) if e.unauthorized)
    evidence = [a.evidence for a in world.accounts if a.role == "victim"]
    summary = {
        "accounts": len(world.accounts), "victims": sum(1 for a in world.accounts if a.role == "victim"),
        "trades": sum(len(executions(a)) for a in world.accounts), "unauthorized_trades": n_unauth,
        "victims_by_trade_evidence": {k: evidence.count(k) for k in sorted(set(evidence))},
        "campaigns": len(world.campaigns), "total_loss_usd": exports.fixed(total_loss, 2),
        "leaked_keys_of_demo_accounts": sum(1 for a in world.accounts if a.key_leaked),
        "claims": len(specs), "fraudulent_claims": sum(1 for s in specs if s.fraud),
        "transfers": len(chain.transfers)}
    doc = {
        "format": "keytrace-demo-ground-truth/1", "seed": seed, "summary": summary,
        "loss_definition": LOSS_DEFINITION,
        "reference_prices": "prices/binance/*.csv: the fair venue; victims' venues show the pumped fills",
        "roles": {"victim": "attacked in one campaign after months of clean bot trading",
                  "ordinary": "bot trading in liquid pairs only", "active": "very active legitimate trader",
                  "thin_legit": "legitimate trades in thin pairs at market prices"},
        "trade_evidence": {
            "trades": "a fills export only (trade history, order splitting, REST fills)",
            "statement": "a Binance Transaction History statement only: each second's legs of one side are one "
                         "execution (fills summed, price = quote / base truncated to 18 decimal places)",
            "filled_orders": "a KuCoin Filled Orders export only: each order (a fill, or the fills of one order in "
                             "one second) is one execution",
            "both": "a fills export and a statement or Filled Orders of the same trades: each fill counts once"},
        "campaigns": campaigns,
        "attacker_addresses": sorted({a for addrs in chain.attacker_addresses.values() for a in addrs}
                                     | {chain.master}),
        "cash_out_points": [{**p, "amount_raw": str(p["amount_raw"])} for p in points],
        "claims": [{"ref": r[0], "exchange": r[1], "account": r[2], "fraud": r[3] or None, "claimed_loss_usd": r[4],
                    "true_loss_usd": r[5] or None, "signs_wallet": r[6] == "true"} for r in claim_rows],
        "pairs": {p.name: {"thin": p.thin, "venues": list(p.venues)} for p in PAIRS},
        "files": "see manifest.json; ground_truth/trades.csv names the file, its SHA-256 (the evidence_sha256 "
                 "keytrace stores) and the 1-based data row (source_row) of every trade",
    }
    w.put("ground_truth/ground_truth.json", json.dumps(doc, indent=2).encode() + b"\n")
    assert all(p in BY_NAME for p in (c.pair for c in world.campaigns))
    return summary


def _readme(seed: int, accounts: int, summary: dict[str, Any]) -> bytes:
    layout = (__doc__ or "").split("Layout", 1)[1].split("::", 1)[1].rstrip()
    text = (f"# keytrace demo incident, seed {seed}\n\n"
            "A made-up 3Commas-style API-key leak (late 2022): every file below is written the way the exchange, "
            "the bot platform or the\ntool that produced it writes it (see ../shared/realdata/PROVENANCE.md). "
            "`keytrace demo` loaded them through the\nsame interfaces a user has; `manifest.json` says how each "
            "file was loaded. Everything here is synthetic: names,\ne-mail addresses, phone numbers, UIDs, keys "
            "and addresses belong to no one.\n\n"
            f"{accounts} exchange accounts, {summary['victims']} of them attacked in {summary['campaigns']} "
            f"campaigns; {summary['trades']:,} trades, {summary['unauthorized_trades']:,} unauthorised; "
            f"true loss {Decimal(summary['total_loss_usd']):,.2f} USD; {summary['claims']} claims, "
            f"{summary['fraudulent_claims']} fraudulent.\n\n"
            "The answers are in ground_truth/ (see ground_truth.json for the loss definition).\n\n"
            f"```{layout}\n```\n")
    return text.encode()


def folder_digest(out: Path) -> str:
    """SHA-256 over every file's relative path and bytes, in sorted order: equal folders, equal digest."""
    h = hashlib.sha256()
    for path in sorted(p for p in out.rglob("*") if p.is_file()):
        h.update(path.relative_to(out).as_posix().encode() + b"\0")
        h.update(hashlib.sha256(path.read_bytes()).digest())
    return h.hexdigest()
