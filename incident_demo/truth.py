"""The demo's ground truth: which trades were unauthorised, what each account really lost.

Loss (the definition of issue 5, restated in ground_truth.json): for each unauthorised trade, the value
given up minus the fair value received, both at the pair's fair price, plus the fee at fair value; the
fair price is the median close of the pair's reference bars opening in the 24 hours before the
account's first unauthorised trade; amounts in a non-USD quote asset are converted to USD through the
same window's median of QUOTE/USDT. Summed per account and per campaign.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, localcontext

from incident_demo.markets import STABLE, Markets
from incident_demo.world import Account, Fill

Q18 = Decimal("1e-18")



def first_unauthorized(fills: Iterable[Fill]) -> int | None:
    times = [f.t for f in fills if f.unauthorized]
    return min(times) if times else None


def trade_loss(f: Fill, t0: int, m: Markets) -> Decimal:
    """Loss in USD of one unauthorised trade (unrounded)."""
    fair = m.median_close(f.pair, t0)
    quote_usd = m.fair_usd(f.quote, t0)
    if f.side == "buy":
        given, received = f.quote_quantity, f.quantity * fair
    else:
        given, received = f.quantity * fair, f.quote_quantity
    if f.fee_asset == f.base:
        fee_usd = f.fee * fair * quote_usd
    elif f.fee_asset == f.quote:
        fee_usd = f.fee * quote_usd
    else:
        fee_usd = f.fee * (Decimal(1) if f.fee_asset in STABLE else m.fair_usd(f.fee_asset, t0))
    return (given - received) * quote_usd + fee_usd


def account_loss(acc: Account, m: Markets) -> Decimal:
    t0 = first_unauthorized(acc.fills)
    if t0 is None:
        return Decimal(0)
    return sum((trade_loss(f, t0, m) for f in acc.fills if f.unauthorized), Decimal(0))


@dataclass(frozen=True)
class Execution:
    """One execution as the account's evidence records it: a fill, a filled order of one second holding
    several fills, or the legs of one statement second on one side (the fills summed, the price quote /
    base truncated to 18 decimal places, as ingest/sql/reconcile/05_ledger_groups.sql derives it)."""

    fills: tuple[Fill, ...]
    price: Decimal

    @property
    def first(self) -> Fill:
        return self.fills[0]

    @property
    def quantity(self) -> Decimal:
        return sum((f.quantity for f in self.fills), Decimal(0))

    @property
    def quote_quantity(self) -> Decimal:
        return sum((f.quote_quantity for f in self.fills), Decimal(0))

    @property
    def fee(self) -> Decimal:
        return sum((f.fee for f in self.fills), Decimal(0))

    @property
    def unauthorized(self) -> bool:
        return self.first.unauthorized


def ratio18(quote: Decimal, base: Decimal) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 80
        return (quote / base).quantize(Q18, rounding=ROUND_DOWN)


def executions(acc: Account) -> list[Execution]:
    """The account's executions, oldest first: what reconciliation must find in its evidence.

    A statement-only account's fills of one second and side are one execution (its legs come unpaired
    under one time); a Filled-Orders-only account's fills of one order are one execution; otherwise (a
    fills export, alone or beside a statement or Filled Orders) every fill is one.
    """
    fills = sorted(acc.fills, key=lambda f: (f.t, f.seq))
    if acc.evidence not in ("statement", "filled_orders"):
        return [Execution((f,), f.price) for f in fills]
    groups: dict[tuple[int | str, ...], list[Fill]] = {}
    for f in fills:
        key: tuple[int | str, ...] = (f.t, f.side) if acc.evidence == "statement" else (f.order_id,)
        groups.setdefault(key, []).append(f)
    out = []
    for group in groups.values():
        head = group[0]
        assert all((f.t, f.pair, f.side, f.fee_asset, f.unauthorized) == (head.t, head.pair, head.side, head.fee_asset,
                   head.unauthorized) for f in group), group
        ex = Execution(tuple(group), head.price)
        if acc.evidence == "statement":
            ex = Execution(ex.fills, ratio18(ex.quote_quantity, ex.quantity))
        else:
            assert all(f.price == head.price for f in group)
        out.append(ex)
    return sorted(out, key=lambda e: (e.first.t, e.first.seq))
