"""The overview's tables add up to its headline: pairs that netted a gain are shown as such, and the gains of
accounts that netted one (counted as 0 in the total) are added back in a row of their own."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.workspace import Workspace
from tests.app.conftest import AppFor, People
from tests.app.test_analysis_pages import T0, put
from tests.app.test_pages import frame

# account, pair, side, loss of each unauthorised trade
TRADES = [("a1", "AKRO/USDT", "buy", "100.25"), ("a1", "ETH/USDT", "sell", "-30"), ("a2", "ETH/USDT", "sell", "-50"),
          ("a2", "MIR/USDT", "buy", "20")]


def test_the_pair_table_adds_up_to_the_headline(ws: Workspace, people: People, app_for: AppFor) -> None:
    with ws.db.write() as con:
        net: dict[str, Decimal] = {}
        for row, (acct, pair, side, loss) in enumerate(TRADES, start=1):
            put(con, "unauthorized_trades", exchange="binance", account=acct, evidence_sha256="e1", source_row=row,
                time_utc=T0 + timedelta(seconds=row), pair=pair, side=side, price=1, quantity=1, quote_quantity=1,
                fee=0, fee_asset="USDT", score=90, reasons="ATTACK_SESSION", session_id=1, campaign_id="C1",
                anchor_utc=T0, fair_price=1, quote_usd=1, given_usd=0, received_usd=0, fee_usd=0,
                loss_usd=Decimal(loss))
            net[acct] = net.get(acct, Decimal(0)) + Decimal(loss)
        for acct, value in net.items():
            put(con, "account_losses", exchange="binance", account=acct, first_unauthorized_utc=T0,
                last_unauthorized_utc=T0, unauthorized_trades=2, net_value_change_usd=value,
                loss_usd=max(value, Decimal(0)), unpriced_trades=0, compromised_key=False)
    at = app_for(people.investigator, "views/overview.py")
    assert not at.exception
    headline = {m.label: m.help for m in at.metric}["Computed loss"]
    assert headline.startswith("Exactly 70.25 USD.")  # a1 lost 70.25, a2 netted a gain of 30: counted as 0
    table = frame(at, "pair")
    assert list(table["pair"]) == ["AKRO/USDT", "MIR/USDT", "ETH/USDT (netted a gain)",
                                   "accounts that netted a gain, counted as 0 (1)"]
    assert list(table["loss (USD)"]) == ["100.25", "20.00", "-80.00", "30.00"]
    assert sum(Decimal(v) for v in table["loss (USD)"]) == Decimal("70.25")
    assert any("A negative figure: the pair's unauthorised trades received more than their fair value" in c.value
               for c in at.caption)
