"""Loss in USD through a non-USD quote asset and a fee in a third asset; audits that catch bad rows."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from core.db import rows
from core.workspace import Workspace
from queries import runner
from queries.detect import detect
from tests.queries.builders import Rows, ts


def test_btc_quoted_pump_with_bnb_fees(ws: Workspace) -> None:
    # fair prices from binance bars: XYZ/BTC 0.000001, BTC/USDT 20000, BNB/USDT 250.
    # The victim buys 5 x 100,000 XYZ at 0.000005 BTC (0.5 BTC each), fee 0.01 BNB each:
    # per trade 0.5 BTC given (10,000 USD), 100,000 x 0.000001 = 0.1 BTC received (2,000 USD), fee 2.50 USD
    # => 8,002.50 per trade, 40,012.50 in all.
    with ws.db.write() as con:
        r = Rows(con)
        start = ts("2023-03-01 00:00:00")
        r.bars("binance", "XYZ/BTC", start, 24 * 9, "0.000001", "0.5")
        r.bars("binance", "BTC/USDT", start, 24 * 9, "20000", "100000000")
        r.bars("binance", "BNB/USDT", start, 24 * 9, "250", "100000000")
        for i in range(5):
            r.trade("kucoin", "victim", ts("2023-03-09 03:00:00") + timedelta(seconds=i), "XYZ/BTC", "buy",
                    "0.000005", "100000", fee="0.01", fee_asset="BNB")
    detect(ws)
    with ws.db.read() as con:
        losses = rows(con, "SELECT account, loss_usd, unpriced_trades FROM account_losses")
        trades = rows(con, "SELECT given_usd, received_usd, fee_usd, quote_usd FROM unauthorized_trades")
    assert losses == [{"account": "victim", "loss_usd": Decimal("40012.50"), "unpriced_trades": 0}]
    assert {(t["given_usd"], t["received_usd"], t["fee_usd"], t["quote_usd"]) for t in trades} == {
        (Decimal("10000"), Decimal("2000"), Decimal("2.5"), Decimal("20000"))}


def test_audits_catch_what_must_not_exist(incident: Workspace) -> None:
    detect(incident)
    with incident.db.write() as con:
        con.execute("UPDATE account_losses SET loss_usd = -1 WHERE account = 'v2'")
        con.execute("UPDATE trade_scores SET bot_explained = true WHERE account = 'v1' AND side = 'sell'")
        con.execute("DELETE FROM executions WHERE account = 'v2' AND source_row = (SELECT min(source_row)"
                    " FROM executions WHERE account = 'v2')")
    with incident.db.read() as con:
        found = {name: len(got) for name, got in runner.run_audits(con).items()}
    assert found == {"audits/finding_without_evidence": 1, "audits/haircut_not_conserved": 0,
                     "audits/legitimate_and_unauthorized": 2, "audits/negative_account_loss": 1}


def test_one_fair_price_anchor_per_account_and_campaign(ws: Workspace) -> None:
    # Two bursts 15 minutes apart (two sessions) in one campaign: both are valued at the fair price of the
    # 24 h before the first burst, although the reference bars move (0.01 -> 0.02) in between.
    with ws.db.write() as con:
        r = Rows(con)
        r.bars("binance", "AKRO/USDT", ts("2023-05-01 00:00:00"), 24 * 9, "0.01", "1000")
        r.bars("binance", "AKRO/USDT", ts("2023-05-10 00:00:00"), 1, "0.02", "1000")
        for start in ("2023-05-10 00:50:00", "2023-05-10 01:05:00"):
            for i in range(3):
                r.trade("kucoin", "victim", ts(start) + timedelta(seconds=i), "AKRO/USDT", "buy", "0.05", "1000")
    detect(ws)
    with ws.db.read() as con:
        got = rows(con, "SELECT DISTINCT session_id, anchor_utc, fair_price FROM unauthorized_trades ORDER BY 1")
        loss = rows(con, "SELECT loss_usd FROM account_losses")
    assert len(got) == 2 and {g["anchor_utc"] for g in got} == {ts("2023-05-10 00:50:00")}
    assert {g["fair_price"] for g in got} == {Decimal("0.01")}
    assert loss == [{"loss_usd": Decimal("240")}]
