"""Reference markets of the demo: hourly prices for every pair from 2022-09-01 to 2022-12-31 (UTC).

Prices follow a seeded random walk per asset in USD, in exact Decimal steps (no floating point, no
libm: the same seed gives the same digits on every machine). A pair's close is base/quote quantized to
the pair's tick. These bars are the "other venue" reference: fair prices, while the victims' venue shows
the pumped fills of the attacks.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import cached_property

T0 = int(datetime(2022, 9, 1, tzinfo=UTC).timestamp())  # first hour of the reference series
HOURS = 122 * 24                                           # Sep 1 .. Dec 31 2022
T_END = T0 + HOURS * 3600
STABLE = ("USDT", "BUSD", "USDC")
_Q8, _Q12 = Decimal("1e-8"), Decimal("1e-12")


@dataclass(frozen=True)
class Pair:
    base: str
    quote: str
    tick: Decimal          # price increment
    step: Decimal          # quantity increment
    thin: bool
    venues: tuple[str, ...]
    liquidity_usd: int     # typical quote volume per hour, in USD

    @property
    def name(self) -> str:
        return f"{self.base}/{self.quote}"

    @property
    def fused(self) -> str:          # Binance symbol: BTCUSDT
        return self.base + self.quote

    @property
    def dashed(self) -> str:         # KuCoin symbol: BTC-USDT
        return f"{self.base}-{self.quote}"


_B, _K = "binance", "kucoin"
PAIRS: tuple[Pair, ...] = (
    Pair("BTC", "USDT", Decimal("0.01"), Decimal("0.00001"), False, (_B, _K), 400_000_000),
    Pair("ETH", "USDT", Decimal("0.01"), Decimal("0.0001"), False, (_B, _K), 200_000_000),
    Pair("BNB", "USDT", Decimal("0.1"), Decimal("0.001"), False, (_B, _K), 30_000_000),
    Pair("SOL", "USDT", Decimal("0.01"), Decimal("0.01"), False, (_B, _K), 25_000_000),
    Pair("ADA", "USDT", Decimal("0.0001"), Decimal("0.1"), False, (_B, _K), 12_000_000),
    Pair("XRP", "USDT", Decimal("0.0001"), Decimal("1"), False, (_B, _K), 20_000_000),
    Pair("DOGE", "USDT", Decimal("0.00001"), Decimal("1"), False, (_B, _K), 15_000_000),
    Pair("LTC", "USDT", Decimal("0.01"), Decimal("0.001"), False, (_B, _K), 10_000_000),
    Pair("ETH", "BTC", Decimal("0.000001"), Decimal("0.0001"), False, (_B, _K), 8_000_000),
    Pair("AKRO", "USDT", Decimal("0.000001"), Decimal("1"), True, (_B, _K), 2_500),
    Pair("MIR", "USDT", Decimal("0.0001"), Decimal("0.1"), True, (_B, _K), 3_000),
    Pair("OSMO", "USDT", Decimal("0.001"), Decimal("0.01"), True, (_B, _K), 3_500),
    Pair("FUN", "USDT", Decimal("0.000001"), Decimal("1"), True, (_B,), 2_000),
    Pair("SUN", "BTC", Decimal("0.00000001"), Decimal("1"), True, (_B,), 1_200),
    Pair("ARDR", "BTC", Decimal("0.00000001"), Decimal("1"), True, (_B,), 1_500),
    Pair("GLM", "BTC", Decimal("0.00000001"), Decimal("1"), True, (_B,), 1_800),
)
BY_NAME = {p.name: p for p in PAIRS}

# USD price on 2022-09-01 and the hourly step bound (in 1/100000) of each asset's walk
_START: dict[str, tuple[str, int]] = {
    "BTC": ("20050", 450), "ETH": ("1555", 550), "BNB": ("278.5", 450), "SOL": ("31.6", 700),
    "ADA": ("0.4520", 600), "XRP": ("0.3310", 600), "DOGE": ("0.06210", 650), "LTC": ("55.20", 550),
    "AKRO": ("0.005480", 800), "MIR": ("0.2420", 900), "OSMO": ("1.452", 800), "FUN": ("0.007160", 800),
    "SUN": ("0.006210", 700), "ARDR": ("0.08520", 750), "GLM": ("0.2610", 750),
}


def hour_of(t: int) -> int:
    """Index of the hourly bar holding epoch second ``t``."""
    return (t - T0) // 3600


def utc(t: int) -> datetime:
    return datetime.fromtimestamp(t, tz=UTC)


@dataclass(frozen=True)
class Bar:
    open_time: int
    open: Decimal
    high: Decimal
    low: Decimal
    close: Decimal
    volume: Decimal
    quote_volume: Decimal
    trades: int
    taker_base: Decimal
    taker_quote: Decimal


class Markets:
    """Hourly reference bars of every pair for one seed."""

    def __init__(self, seed: int) -> None:
        self.seed = seed
        rng = random.Random(f"keytrace-demo-markets:{seed}")
        self._usd: dict[str, list[Decimal]] = {"USDT": [Decimal(1)] * HOURS}
        for asset in sorted(_START):
            start, bound = _START[asset]
            price = Decimal(start)
            series = []
            for _ in range(HOURS):
                series.append(price)
                step = Decimal(100000 + rng.randint(-bound, bound)) / 100000
                price = (price * step).quantize(_Q12 if price < 1 else _Q8, rounding=ROUND_HALF_EVEN)
            self._usd[asset] = series
        self._bars: dict[str, list[Bar]] = {}
        for pair in PAIRS:
            self._bars[pair.name] = self._make_bars(pair, random.Random(f"keytrace-demo-bars:{seed}:{pair.name}"))

    def _make_bars(self, pair: Pair, rng: random.Random) -> list[Bar]:
        closes = [(b / q).quantize(pair.tick, rounding=ROUND_HALF_EVEN)
                  for b, q in zip(self._usd[pair.base], self._usd[pair.quote], strict=True)]
        bars = []
        prev = closes[0]
        for h, close in enumerate(closes):
            top, bottom = max(prev, close), min(prev, close)
            high = (top * Decimal(100000 + rng.randint(0, 300)) / 100000).quantize(pair.tick, ROUND_CEILING)
            low = max((bottom * Decimal(100000 - rng.randint(0, 300)) / 100000).quantize(pair.tick, ROUND_FLOOR),
                      pair.tick)
            usd = pair.liquidity_usd * (500 + rng.randint(0, 1000)) // 1000
            quote_usd = self._usd[pair.quote][h]
            quote_volume = (Decimal(usd) / quote_usd).quantize(Decimal("1e-8"))
            volume = (quote_volume / close).quantize(pair.step if pair.step < 1 else Decimal(1))
            taker = Decimal(400 + rng.randint(0, 200)) / 1000
            count = max(3, usd // (60 if pair.thin else 2000))
            bars.append(Bar(T0 + h * 3600, prev, high, low, close, volume, quote_volume, count,
                            (volume * taker).quantize(Decimal("1e-8")),
                            (quote_volume * taker).quantize(Decimal("1e-8"))))
            prev = close
        return bars

    def bars(self, pair: str) -> list[Bar]:
        return self._bars[pair]

    def bar_at(self, pair: str, t: int) -> Bar:
        return self._bars[pair][min(max(hour_of(t), 0), HOURS - 1)]

    def fair_fill(self, pair: str, t: int, rng: random.Random) -> Decimal:
        """A fill price inside the reference bar's range at time ``t``: what an honest market gives."""
        bar = self.bar_at(pair, t)
        tick = BY_NAME[pair].tick
        span = int((bar.high - bar.low) / tick)
        # stay near the close, inside the bar's [low, high]
        mid = int((bar.close - bar.low) / tick)
        k = min(max(mid + rng.randint(-max(span // 4, 1), max(span // 4, 1)), 0), span)
        return bar.low + tick * k

    def median_close(self, pair: str, t0: int) -> Decimal:
        """Median close of the hourly bars opening in [t0 - 24 h, t0): the issue-5 fair price."""
        bars = self._bars[pair]
        first = max(-(-(t0 - 86400 - T0) // 3600), 0)
        last = min((t0 - 1 - T0) // 3600, HOURS - 1)
        closes = sorted(b.close for b in bars[first:last + 1])
        n = len(closes)
        if n == 0:
            raise ValueError(f"no reference bars for {pair} before {utc(t0).isoformat()}")
        return closes[n // 2] if n % 2 else (closes[n // 2 - 1] + closes[n // 2]) / 2

    def fair_usd(self, asset: str, t0: int) -> Decimal:
        """USD value of one unit of ``asset`` at the fair price for a window starting at ``t0``."""
        if asset in STABLE:
            return Decimal(1)
        if f"{asset}/USDT" in BY_NAME:
            return self.median_close(f"{asset}/USDT", t0)
        return self.median_close(f"{asset}/BTC", t0) * self.median_close("BTC/USDT", t0)

    @cached_property
    def months(self) -> list[tuple[int, int]]:
        return [(2022, 9), (2022, 10), (2022, 11), (2022, 12)]
