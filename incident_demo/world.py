"""The demo incident as data: accounts, their bots' deals and fills, the attack campaigns.

Everything is drawn from ``random.Random`` instances seeded with strings (``random`` hashes a str seed
with SHA-512, independent of PYTHONHASHSEED), amounts are Decimal, times are epoch seconds from fixed
2022 dates. Iteration always follows lists or sorted keys, so the same seed yields the same world.

Its length (about 560 lines) is one deterministic model whose parts draw from the same seeded generators
in a fixed order; split, the order (and so every seed's incident) would be easy to change by accident.
"""

from __future__ import annotations

import hashlib
import random
import string
from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal

from eth_account import Account as EthAccount

from incident_demo.markets import BY_NAME, PAIRS, T0, T_END, Markets, Pair

Q8 = Decimal("1e-8")
BINANCE, KUCOIN = "binance", "kucoin"


def ts(year: int, month: int, day: int, hour: int, minute: int) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


@dataclass
class Fill:
    """One trade the generator made, with its ground truth."""

    seq: int
    exchange: str
    account: str
    t: int                      # epoch seconds, UTC
    ms: int                     # millisecond part (KuCoin timestamps)
    pair: str
    side: str                   # buy | sell
    price: Decimal
    quantity: Decimal
    quote_quantity: Decimal
    fee: Decimal
    fee_asset: str
    order_id: str
    trade_id: str
    counter_order_id: str
    channel: str                # API | WEB
    liquidity: str              # maker | taker
    order_type: str             # limit | market
    unauthorized: bool
    campaign: str | None
    deal_id: str | None = None
    deal_order_type: str | None = None   # Base | Safety | Take Profit

    @property
    def base(self) -> str:
        return self.pair.split("/")[0]

    @property
    def quote(self) -> str:
        return self.pair.split("/")[1]


@dataclass
class Movement:
    """A deposit into or a withdrawal out of an exchange account."""

    exchange: str
    account: str
    t: int
    kind: str                   # deposit | withdrawal
    asset: str
    amount: Decimal             # positive
    fee: Decimal
    network: str
    address: str
    tx_hash: str
    on_chain: bool = False      # True when the chain files hold this transfer


@dataclass
class Deal:
    """A 3Commas deal: the bot's intent, which explains the fills it placed."""

    deal_id: int
    bot_id: int
    bot_name: str
    platform_account_id: int
    exchange: str
    account: str
    pair: str
    created: int
    base_order_volume: Decimal
    safety_order_volume: Decimal
    max_safety_orders: int
    take_profit: Decimal
    fills: list[Fill] = field(default_factory=list)
    closed: int | None = None


@dataclass
class Account:
    exchange: str
    uid: str
    role: str                   # victim | ordinary | active | thin_legit
    api_key: str
    secret: str
    passphrase: str
    key_created: int
    key_leaked: bool
    bnb_fees: bool
    export: str                 # format of the trade export (see exports.py)
    ledger: str                 # statement | histories | none
    three_commas: bool
    platform_account_id: int
    api_restrictions: bool = False   # the victim saved the key's apiRestrictions record
    # the victim's evidence of its trades (Binance: trade history and/or statement; KuCoin: the fills
    # export of ``export`` and/or Filled Orders): trades | statement | filled_orders | both
    evidence: str = "trades"
    statement_style: str = "classic"    # Binance statement operations: classic (Buy/Sell/Fee) | 2023 (Transaction ...)
    order_rows: str = "fill"            # KuCoin Filled Orders: fill (one order per execution) | order (an order's fills of one second)
    campaign: str | None = None
    attack_start: int | None = None
    wallet: str | None = None   # claimant's own wallet (set by claims.py)
    balances: dict[str, Decimal] = field(default_factory=dict)
    fills: list[Fill] = field(default_factory=list)
    movements: list[Movement] = field(default_factory=list)
    deals: list[Deal] = field(default_factory=list)


@dataclass
class Campaign:
    cid: str
    exchange: str
    pair: str
    start: int
    duration: int               # seconds
    mult_lo: int                # price multiple at the start, in hundredths (300 = 3x)
    mult_hi: int                # at the end
    victims: list[str] = field(default_factory=list)
    attacker_orders: list[str] = field(default_factory=list)

    @property
    def end(self) -> int:
        return self.start + self.duration


# Quiet-hour windows, after the public timeline (INCIDENT_NOTES.md): Dec 25 22:29 AKRO and MIR on
# Binance, Dec 11 SUN/ARDR/OSMO/FUN/GLM, November on KuCoin. Order matters: small demos take a prefix.
CAMPAIGN_PLAN: tuple[tuple[str, int, str, int], ...] = (
    (BINANCE, ts(2022, 12, 25, 22, 29), "AKRO/USDT", 84),
    (KUCOIN, ts(2022, 11, 19, 3, 40), "OSMO/USDT", 95),
    (BINANCE, ts(2022, 12, 11, 2, 35), "SUN/BTC", 70),
    (KUCOIN, ts(2022, 12, 4, 1, 5), "AKRO/USDT", 110),
    (BINANCE, ts(2022, 12, 25, 22, 41), "MIR/USDT", 72),
    (BINANCE, ts(2022, 12, 10, 4, 15), "ARDR/BTC", 65),
    (KUCOIN, ts(2022, 12, 18, 23, 10), "MIR/USDT", 90),
    (BINANCE, ts(2022, 11, 12, 2, 10), "FUN/USDT", 100),
    (BINANCE, ts(2022, 11, 26, 1, 25), "GLM/BTC", 75),
    (BINANCE, ts(2022, 12, 27, 1, 50), "OSMO/USDT", 80),
)

_ALNUM = string.ascii_letters + string.digits
_HEX = "0123456789abcdef"


def wallet_key(seed: int, exchange: str, uid: str) -> bytes:
    """An account holder's own wallet: a deterministic test key, re-derived when signing, never written."""
    return hashlib.sha256(f"keytrace-demo-wallet:{seed}:{exchange}:{uid}".encode()).digest()


def wallet_address(seed: int, exchange: str, uid: str) -> str:
    return str(EthAccount.from_key(wallet_key(seed, exchange, uid)).address).lower()


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choices(alphabet, k=n))


def kucoin_id(rng: random.Random, t: int) -> str:
    """A KuCoin object id: 8 hex digits of the creation second, then 16 random hex digits."""
    return f"{t:08x}" + rand_str(rng, _HEX, 16)


def floor_to(amount: Decimal, step: Decimal) -> Decimal:
    return (amount / step).to_integral_value(rounding=ROUND_FLOOR) * step


class WorldBuilder:
    """Builds the accounts, deals, fills and campaigns of one seed."""

    def __init__(self, seed: int, n_accounts: int, markets: Markets) -> None:
        self.seed = seed
        self.n = n_accounts
        self.m = markets
        self.rng = random.Random(f"keytrace-demo-world:{seed}")
        self.accounts: list[Account] = []
        self.campaigns: list[Campaign] = []
        self._seq = 0
        self._deal_id = 1_180_000_000 + self.rng.randint(0, 9_999_999)
        self._bot_id = 9_100_000 + self.rng.randint(0, 99_999)

    # ------------------------------------------------------------------ accounts and campaigns
    def build(self) -> None:
        self._make_campaigns()
        self._make_accounts()
        for acc in self.accounts:
            arng = random.Random(f"keytrace-demo-account:{self.seed}:{acc.exchange}:{acc.uid}")
            self._deposits(acc, arng)
            self._trade(acc, arng)
        for camp in self.campaigns:
            self._attack(camp)
        self._choose_evidence()

    def _choose_evidence(self) -> None:
        """Which victims' only trade evidence is a statement (Binance) or Filled Orders (KuCoin), and which
        hold both kinds; drawn from its own seeded stream, so the rest of the world stays as it was."""
        rng = random.Random(f"keytrace-demo-evidence:{self.seed}")
        for exchange in (BINANCE, KUCOIN):
            victims = [a for a in self.accounts if a.exchange == exchange and a.role == "victim"]
            rng.shuffle(victims)
            n = len(victims)
            if n == 0:
                continue
            if exchange == BINANCE:
                n_only = max(2, n // 4) if n >= 3 else 1
                n_both = max(1, n // 6) if n > n_only else 0
                for i, acc in enumerate(victims[:n_only + n_both]):
                    acc.evidence = "statement" if i < n_only else "both"
                    acc.statement_style = "classic" if i % 2 == 0 else "2023"
            else:
                n_only = max(2, n // 3) if n >= 3 else 1
                n_both = max(1, n // 6) if n > n_only else 0
                for i, acc in enumerate(victims[:n_only + n_both]):
                    acc.evidence = "filled_orders" if i < n_only else "both"
                    acc.export = "filled_orders" if i < n_only else "order_splitting"
                    acc.order_rows = "order" if i % 2 == 0 or i >= n_only else "fill"
                    if acc.order_rows == "order":
                        _one_order_per_second(acc.fills)

    def _make_campaigns(self) -> None:
        count = min(len(CAMPAIGN_PLAN), max(3, self.n // 30))
        for i, (exchange, start, pair, minutes) in enumerate(CAMPAIGN_PLAN[:count], start=1):
            lo = self.rng.randint(300, 500)
            hi = self.rng.randint(max(lo + 200, 900), 2000)
            jitter = self.rng.randint(-6, 6) * 60
            camp = Campaign(f"C{i:02d}", exchange, pair, start + jitter, minutes * 60, lo, hi)
            crng = random.Random(f"keytrace-demo-campaign:{self.seed}:{camp.cid}")
            camp.attacker_orders = [kucoin_id(crng, camp.start - crng.randint(60, 1800))
                                    for _ in range(crng.randint(6, 14))]
            self.campaigns.append(camp)

    def _make_accounts(self) -> None:
        rng = self.rng
        n_binance = self.n * 3 // 5
        used: set[str] = set()
        n_victims = self.n * 9 // 20
        by_exchange = {BINANCE: [c for c in self.campaigns if c.exchange == BINANCE],
                       KUCOIN: [c for c in self.campaigns if c.exchange == KUCOIN]}
        victim_counter = {BINANCE: 0, KUCOIN: 0}
        for i in range(self.n):
            exchange = BINANCE if i < n_binance else KUCOIN
            while True:
                uid = str(rng.randint(100_000_000, 499_999_999) if exchange == BINANCE
                          else rng.randint(10_000_000, 99_999_999))
                if uid not in used:
                    used.add(uid)
                    break
            # roles: victims spread over both exchanges, a few very active and thin-pair traders
            k = i if exchange == BINANCE else i - n_binance
            size = n_binance if exchange == BINANCE else self.n - n_binance
            share = n_victims * size // self.n
            if k < share and by_exchange[exchange]:
                role = "victim"
            elif k % 17 == 3:
                role = "active"
            elif k % 13 == 5:
                role = "thin_legit"
            else:
                role = "ordinary"
            key_created = T0 - rng.randint(30 * 86400, 700 * 86400)
            if exchange == BINANCE:
                api_key, secret, passphrase = rand_str(rng, _ALNUM, 64), rand_str(rng, _ALNUM, 64), ""
                export = rng.choice(["plain", "plain", "bom", "quoted"])
                ledger = rng.choices(["statement", "histories", "none"], weights=[15, 12, 73])[0]
            else:
                api_key = kucoin_id(rng, key_created)
                secret = "-".join(rand_str(rng, _HEX, n) for n in (8, 4, 4, 4, 12))
                passphrase = rand_str(rng, string.ascii_lowercase, rng.randint(5, 9)) + str(rng.randint(1, 9999))
                export = rng.choice(["v3", "order_splitting", "order_splitting", "rest_fills"])
                ledger = rng.choices(["histories", "none"], weights=[20, 80])[0]
            leaked = rng.random() < (0.92 if role == "victim" else 0.45)
            acc = Account(exchange, uid, role, api_key, secret, passphrase, key_created, leaked,
                          bnb_fees=exchange == BINANCE and rng.random() < 0.6, export=export, ledger=ledger,
                          three_commas=rng.random() < 0.2, platform_account_id=31_000_000 + rng.randint(0, 999_999))
            if role == "victim":
                if rng.random() < 0.3:  # kept the withdrawal history that names their own wallet
                    acc.ledger = "histories"
                acc.api_restrictions = exchange == BINANCE and rng.random() < 0.5
                camps = by_exchange[exchange]
                camp = camps[victim_counter[exchange] % len(camps)]
                victim_counter[exchange] += 1
                acc.campaign = camp.cid
                camp.victims.append(uid)
            self.accounts.append(acc)
        for camp in self.campaigns:
            crng = random.Random(f"keytrace-demo-campaign-victims:{self.seed}:{camp.cid}")
            for uid in camp.victims:
                acc = self.account(camp.exchange, uid)
                acc.attack_start = camp.start + crng.randint(0, min(camp.duration // 3, 1500))

    def account(self, exchange: str, uid: str) -> Account:
        for acc in self.accounts:
            if acc.exchange == exchange and acc.uid == uid:
                return acc
        raise KeyError((exchange, uid))

    # ------------------------------------------------------------------ deposits
    def _deposits(self, acc: Account, rng: random.Random) -> None:
        start = T0 + rng.randint(0, 18 * 86400)
        usdt = Decimal(rng.choice([800, 1500, 2500, 4000, 6000, 9000, 15000, 25000, 40000, 75000, 150000]))
        if acc.role == "active":
            usdt *= 4
        self._deposit(acc, rng, start - 7200, "USDT", usdt, "ETH")
        if acc.bnb_fees:
            self._deposit(acc, rng, start - 7000, "BNB", Decimal(rng.randint(5, 40)) / 10, "BSC")
        if rng.random() < 0.4:
            asset = rng.choice(["BTC", "ETH"])
            usd = Decimal(rng.choice([1000, 3000, 8000, 20000]))
            amount = floor_to(usd / self.m.bar_at(f"{asset}/USDT", start).close, Decimal("0.0001"))
            self._deposit(acc, rng, start - 6800, asset, amount, "ETH" if asset == "ETH" else "BTC")
        acc.balances.setdefault("USDT", Decimal(0))
        # victims (and some others) once withdrew a little USDT to their own wallet, on chain
        if acc.role == "victim" or rng.random() < 0.15:
            acc.wallet = wallet_address(self.seed, acc.exchange, acc.uid)
            amount = (usdt * Decimal(rng.randint(3, 8)) / 100).quantize(Decimal(1))
            self.withdraw(acc, start - 3600, "USDT", amount, acc.wallet)

    def _deposit(self, acc: Account, rng: random.Random, t: int, asset: str, amount: Decimal, network: str) -> None:
        address = ("0x" + rand_str(rng, _HEX, 40)) if network in ("ETH", "BSC") else (
            "bc1q" + rand_str(rng, "023456789acdefghjklmnpqrstuvwxyz", 38))
        tx = ("0x" + rand_str(rng, _HEX, 64)) if network in ("ETH", "BSC") else rand_str(rng, _HEX, 64)
        acc.movements.append(Movement(acc.exchange, acc.uid, t, "deposit", asset, amount, Decimal(0), network,
                                      address, tx))
        acc.balances[asset] = acc.balances.get(asset, Decimal(0)) + amount

    def withdraw(self, acc: Account, t: int, asset: str, amount: Decimal, address: str) -> Movement:
        """A withdrawal to the holder's wallet; its transaction hash is set when the chain is built."""
        fee = Decimal("1") if asset == "USDT" else Decimal(0)
        mv = Movement(acc.exchange, acc.uid, t, "withdrawal", asset, amount, fee, "ETH", address, "",
                      on_chain=True)
        acc.movements.append(mv)
        acc.balances[asset] -= amount + fee
        return mv

    # ------------------------------------------------------------------ fills
    def _fill(self, acc: Account, rng: random.Random, t: int, pair: str, side: str, price: Decimal,
              quantity: Decimal, *, channel: str = "API", order_type: str = "limit", liquidity: str = "taker",
              unauthorized: bool = False, campaign: str | None = None, counter: str | None = None,
              fee_in_received: bool = False) -> Fill:
        p = BY_NAME[pair]
        if acc.exchange == BINANCE:
            quote_qty = (price * quantity).quantize(Q8, rounding=ROUND_HALF_EVEN)
            if acc.bnb_fees and not fee_in_received and acc.balances.get("BNB", Decimal(0)) > Decimal("0.01"):
                usd = quote_qty * self.m.bar_at(f"{p.quote}/USDT", t).close if p.quote != "USDT" else quote_qty
                fee = (usd * Decimal("0.00075") / self.m.bar_at("BNB/USDT", t).close).quantize(Q8)
                fee_asset = "BNB"
            elif side == "buy":
                fee, fee_asset = (quantity * Decimal("0.001")).quantize(Q8), p.base
            else:
                fee, fee_asset = (quote_qty * Decimal("0.001")).quantize(Q8), p.quote
        else:
            quote_qty = price * quantity
            fee, fee_asset = quote_qty * Decimal("0.001"), p.quote
        b = acc.balances
        sign = 1 if side == "buy" else -1
        b[p.base] = b.get(p.base, Decimal(0)) + sign * quantity
        b[p.quote] = b.get(p.quote, Decimal(0)) - sign * quote_qty
        b[fee_asset] = b.get(fee_asset, Decimal(0)) - fee
        self._seq += 1
        ms = rng.randint(0, 999)
        fill = Fill(self._seq, acc.exchange, acc.uid, t, ms, pair, side, price, quantity, quote_qty, fee,
                    fee_asset, order_id=kucoin_id(rng, t) if acc.exchange == KUCOIN else str(rng.randint(10**9, 10**10)),
                    trade_id=str(rng.randint(10**15, 10**16 - 1)),
                    counter_order_id=counter or kucoin_id(rng, t - rng.randint(1, 3600)),
                    channel=channel, liquidity=liquidity, order_type=order_type, unauthorized=unauthorized,
                    campaign=campaign)
        acc.fills.append(fill)
        return fill

    # ------------------------------------------------------------------ ordinary trading
    def _bot_pairs(self, acc: Account, rng: random.Random) -> list[Pair]:
        liquid = [p for p in PAIRS if not p.thin and p.quote == "USDT" and acc.exchange in p.venues]
        pairs = rng.sample(liquid, rng.randint(1, 3))
        if acc.role == "thin_legit":
            thin = [p for p in PAIRS if p.thin and p.quote == "USDT" and acc.exchange in p.venues]
            pairs = rng.sample(thin, min(2, len(thin))) + pairs[:1]
        return pairs

    def _near_campaign(self, acc: Account, pair: str, t1: int, t2: int) -> bool:
        return any(c.exchange == acc.exchange and c.pair == pair and t1 < c.end + 86400 and t2 > c.start - 86400
                   for c in self.campaigns)

    def _trade(self, acc: Account, rng: random.Random) -> None:
        pairs = self._bot_pairs(acc, rng)
        bot_id = self._bot_id + rng.randint(0, 900_000)
        bot_name = rng.choice(["DCA BTC long", "Alt DCA", "Grid scalper", "Safe long", "TA preset", "Majors DCA"])
        stop = (acc.attack_start - 600) if acc.attack_start else T_END - 3600
        t = max(m.t for m in acc.movements) + rng.randint(1800, 7200)
        active = acc.role == "active"
        if active:  # a few weeks of fast trading, hundreds of fills
            stop = min(stop, t + rng.randint(14, 24) * 86400)
        while t < stop:
            pair = pairs[rng.randrange(len(pairs))]
            dur = rng.randint(300, 3600) if active else rng.randint(2 * 3600, 4 * 86400)
            if self._near_campaign(acc, pair.name, t, t + dur):
                t += dur + 86400
                continue
            deal = self._deal(acc, rng, bot_id, bot_name, pair, t, dur, stop)
            if deal is None:
                break
            t = (deal.closed or stop) + (rng.randint(1800, 6 * 3600) if active else rng.randint(12 * 3600, 7 * 86400))
        # a few manual web trades on ETH/BTC for holders of BTC or ETH
        if acc.balances.get("ETH", Decimal(0)) > Decimal("0.5") and rng.random() < 0.5:
            when = T0 + rng.randint(25, 60) * 86400
            if when < stop:
                qty = floor_to(acc.balances["ETH"] / 4, Decimal("0.0001"))
                self._fill(acc, rng, when, "ETH/BTC", "sell", self.m.fair_fill("ETH/BTC", when, rng), qty,
                           channel="WEB", order_type="limit", liquidity="maker")

    def _deal(self, acc: Account, rng: random.Random, bot_id: int, bot_name: str, pair: Pair, t: int,
              dur: int, stop: int) -> Deal | None:
        usdt = acc.balances.get("USDT", Decimal(0))
        volume = (usdt * Decimal(rng.randint(4, 12)) / 100).quantize(Decimal("0.01"))
        if volume < 15:
            return None
        self._deal_id += rng.randint(1, 40_000)
        deal = Deal(self._deal_id, bot_id, bot_name, acc.platform_account_id, acc.exchange, acc.uid, pair.name,
                    t - rng.randint(1, 20), volume, (volume * 2).quantize(Decimal("0.01")),
                    rng.randint(0, 3), Decimal(rng.choice(["1.0", "1.5", "2.0", "2.5"])))
        price = self.m.fair_fill(pair.name, t, rng)
        qty = floor_to(volume / price, pair.step)
        if qty <= 0:
            return None
        chunks = rng.randint(2, 5) if acc.role == "active" else 1
        held = Decimal(0)
        for c in range(chunks):
            part = floor_to(qty / chunks, pair.step) if c < chunks - 1 else qty - floor_to(qty / chunks, pair.step) * (chunks - 1)
            if part <= 0:
                continue
            f = self._fill(acc, rng, t + c * rng.randint(0, 2), pair.name, "buy", price, part, order_type="market")
            f.deal_id, f.deal_order_type = str(deal.deal_id), "Base"
            deal.fills.append(f)
            held += part - (f.fee if f.fee_asset == pair.base else 0)
        entry = price
        for k in range(deal.max_safety_orders):
            ts_ = t + (k + 1) * dur // (deal.max_safety_orders + 2)
            p2 = self.m.fair_fill(pair.name, ts_, rng)
            if ts_ >= stop or p2 > entry * Decimal("0.985"):
                continue
            q2 = floor_to(deal.safety_order_volume / p2, pair.step)
            if q2 <= 0 or q2 * p2 > acc.balances.get("USDT", Decimal(0)) * Decimal("0.98"):
                continue
            f = self._fill(acc, rng, ts_, pair.name, "buy", p2, q2, liquidity="maker")
            f.deal_id, f.deal_order_type = str(deal.deal_id), "Safety"
            deal.fills.append(f)
            held += q2 - (f.fee if f.fee_asset == pair.base else 0)
            entry = p2
        close_t = t + dur
        if close_t < stop:
            sell_qty = floor_to(min(held, acc.balances.get(pair.base, Decimal(0))), pair.step)
            if sell_qty > 0:
                f = self._fill(acc, rng, close_t, pair.name, "sell", self.m.fair_fill(pair.name, close_t, rng),
                               sell_qty, liquidity="maker")
                f.deal_id, f.deal_order_type = str(deal.deal_id), "Take Profit"
                deal.fills.append(f)
            deal.closed = close_t
        acc.deals.append(deal)
        return deal

    # ------------------------------------------------------------------ attacks
    def _attack(self, camp: Campaign) -> None:
        pair = BY_NAME[camp.pair]
        q = pair.quote
        for uid in camp.victims:
            acc = self.account(camp.exchange, uid)
            rng = random.Random(f"keytrace-demo-attack:{self.seed}:{camp.cid}:{uid}")
            assert acc.attack_start is not None
            t = acc.attack_start
            kw = {"unauthorized": True, "campaign": camp.cid, "order_type": "market", "fee_in_received": True}
            # 1. sell every holding into USDT (ETH straight into BTC for BTC campaigns)
            for asset in sorted(acc.balances):
                if asset in ("USDT", q):
                    continue
                via = f"{asset}/BTC" if q == "BTC" and f"{asset}/BTC" in BY_NAME and not BY_NAME[f"{asset}/BTC"].thin \
                    else f"{asset}/USDT"
                if via not in BY_NAME or acc.exchange not in BY_NAME[via].venues:
                    continue
                vp = BY_NAME[via]
                qty = floor_to(acc.balances[asset], vp.step)
                if qty * self.m.bar_at(via, t).close < 5:
                    continue
                price = self.m.fair_fill(via, t, rng) * (1 - Decimal(rng.randint(0, 15)) / 10000)
                price = price.quantize(vp.tick, rounding=ROUND_FLOOR)
                for part in _split(qty, rng.randint(1, 3), vp.step, rng):
                    self._fill(acc, rng, t, via, "sell", price, part, **kw)  # type: ignore[arg-type]
                    t += rng.randint(0, 2)
                t += rng.randint(1, 6)
            if q == "BTC":
                usdt = acc.balances.get("USDT", Decimal(0)) * Decimal("0.998")
                price = self.m.fair_fill("BTC/USDT", t, rng)
                qty = floor_to(usdt / price, BY_NAME["BTC/USDT"].step)
                if qty > 0:
                    self._fill(acc, rng, t, "BTC/USDT", "buy", price, qty, **kw)  # type: ignore[arg-type]
                    t += rng.randint(2, 8)
            # 2. hundreds of buys of the thin coin at 3-20x its reference price, until the quote is spent
            budget = acc.balances.get(q, Decimal(0)) * Decimal("0.995")
            t = max(t + rng.randint(60, 240), camp.start)
            n = max(8, min(90, int(budget * (self.m.fair_usd(q, t) if q != "USDT" else 1) / 60)))
            weights = [rng.randint(50, 150) for _ in range(n)]
            total_w = sum(weights)
            last = min(camp.end - 30, t + camp.duration)
            span = max(last - t, n)
            for i, w in enumerate(weights):
                tt = t + span * i // n
                frac = Decimal(tt - camp.start) / camp.duration
                mult = (camp.mult_lo + (camp.mult_hi - camp.mult_lo) * frac) / 100
                mult = min(max(mult * (1 + Decimal(rng.randint(-30, 30)) / 1000), Decimal(3)), Decimal(20))
                price = (self.m.bar_at(camp.pair, tt).close * mult).quantize(pair.tick, rounding=ROUND_HALF_EVEN)
                spend = budget * w / total_w
                if acc.exchange == KUCOIN:
                    spend = spend / Decimal("1.001")
                qty = floor_to(spend / price, pair.step)
                if qty <= 0:
                    continue
                counter = camp.attacker_orders[rng.randrange(len(camp.attacker_orders))]
                for part in _split(qty, 1 if rng.random() < 0.7 else 2, pair.step, rng):
                    self._fill(acc, rng, tt, camp.pair, "buy", price, part, counter=counter, **kw)  # type: ignore[arg-type]


def _one_order_per_second(fills: list[Fill]) -> None:
    """Fills of one second, pair, side and price are the parts of one order: they take its order id."""
    first: dict[tuple[int, str, str, Decimal], Fill] = {}
    for f in sorted(fills, key=lambda f: (f.t, f.seq)):
        key = (f.t, f.pair, f.side, f.price)
        if key in first and first[key].unauthorized == f.unauthorized:
            f.order_id = first[key].order_id
        else:
            first[key] = f


def _split(qty: Decimal, parts: int, step: Decimal, rng: random.Random) -> list[Decimal]:
    """Split a quantity into up to ``parts`` positive multiples of ``step``."""
    out: list[Decimal] = []
    left = qty
    for _ in range(parts - 1):
        piece = floor_to(left * Decimal(rng.randint(20, 60)) / 100, step)
        if piece <= 0 or piece >= left:
            break
        out.append(piece)
        left -= piece
    out.append(left)
    return out
