"""The investigators' analysis pages, on detection and trace results written into a real database."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import duckdb
import pytest

from app import claims
from core.workspace import Workspace
from ingest.reconcile import reconcile
from tests.app.conftest import AppFor, People
from tests.app.test_pages import click, frame, texts

T0 = datetime(2022, 12, 25, 22, 29, tzinfo=UTC)
SEED = "0x" + "aa" * 20
HOP = "0x" + "bb" * 20
EXCHANGE_HOT = "0x" + "cc" * 20


def put(con: duckdb.DuckDBPyConnection, table: str, **cols: Any) -> None:
    names = ", ".join(cols)
    marks = ", ".join("?" for _ in cols)
    con.execute(f"INSERT INTO {table} ({names}) VALUES ({marks})", list(cols.values()))


@pytest.fixture
def incident(ws: Workspace, people: People) -> None:
    """Two victim accounts pumped through AKRO/BTC in one campaign, one normal trade, and a trace."""
    m = timedelta(minutes=1)
    with ws.db.write() as con:
        for acct in ("111", "222"):
            put(con, "accounts", exchange="binance", account=acct, first_seen_run="run1")
        for i in range(6):
            acct, row, when, flagged = ("111" if i < 4 else "222"), i + 1, T0 + i * m, i != 0
            price = Decimal("0.0000081") if flagged else Decimal("0.0000009")
            put(con, "trades", exchange="binance", account=acct, time_utc=when, pair="AKRO/BTC", base_asset="AKRO",
                quote_asset="BTC", side="buy", price=price, quantity=1000, quote_quantity=price * 1000, fee=0,
                fee_asset="BNB", occurrence=1, evidence_sha256="e1", source_row=row, ingest_run_id="run1",
                format="binance_trade_history")
            put(con, "trade_scores", exchange="binance", account=acct, evidence_sha256="e1", source_row=row,
                time_utc=when, pair="AKRO/BTC", side="buy", price=price, reference_price=Decimal("0.0000009"),
                deviation=Decimal(8 if flagged else 0), pair_adv_usd=5000, session_id=1, attack_session=flagged,
                bot_explained=False, score=90 if flagged else 0,
                reasons="PRICE_DEVIATION;THIN_PAIR" if flagged else "", unauthorized=flagged)
            if flagged:
                put(con, "unauthorized_trades", exchange="binance", account=acct, evidence_sha256="e1",
                    source_row=row, time_utc=when, pair="AKRO/BTC", side="buy", price=price, quantity=1000,
                    quote_quantity=price * 1000, fee=0, fee_asset="BNB", score=90,
                    reasons="PRICE_DEVIATION;THIN_PAIR", session_id=1, campaign_id="C1", anchor_utc=T0 + m,
                    fair_price=Decimal("0.0000009"), quote_usd=16800, given_usd=Decimal("136.08"),
                    received_usd=Decimal("15.12"), fee_usd=0, loss_usd=Decimal("120.96"))
        for acct, first, last, n, loss, leaked in (("111", 1, 3, 3, "362.88", True), ("222", 4, 5, 2, "241.92", False)):
            put(con, "account_losses", exchange="binance", account=acct, first_unauthorized_utc=T0 + first * m,
                last_unauthorized_utc=T0 + last * m, unauthorized_trades=n, net_value_change_usd=Decimal(loss),
                loss_usd=Decimal(loss), unpriced_trades=0, compromised_key=leaked)
            put(con, "campaign_accounts", campaign_id="C1", pair="AKRO/BTC", exchange="binance", account=acct,
                session_id=1, first_utc=T0 + first * m, last_utc=T0 + last * m, trades=n, loss_usd=Decimal(loss))
        reconcile(con)  # the executions the ingest would have derived from these fills
        put(con, "campaigns", campaign_id="C1", pair="AKRO/BTC", start_utc=T0 + m, end_utc=T0 + 5 * m, accounts=2,
            trades=5, loss_usd=Decimal("604.80"))
        put(con, "compromised_keys", fingerprint="ab" * 32, exchange="binance", account="111", leak_id="L1",
            leak_source="pastebin 2022-12-28", leak_date=date(2022, 12, 28), linked_by="api_keys")
        day = T0 + timedelta(days=1)
        put(con, "trace_runs", trace_id="T1", created_at=day, model="haircut", direction="forward", hops=3,
            seeds=f'["{SEED}"]', edges=2, cash_out_points=1)
        for hop, tx, src, dst, value, when in ((1, "0x01", SEED, HOP, 1000, day),
                                               (2, "0x02", HOP, EXCHANGE_HOT, 900, day + 60 * m)):
            put(con, "trace_edges", trace_id="T1", hop=hop, chain_id=1, tx_hash=tx, log_index=0, token="native",
                from_address=src, to_address=dst, time_utc=when, block_number=100 + hop, value=str(value),
                tainted=value, origin_is_seed=hop == 1)
        put(con, "trace_cash_out_points", trace_id="T1", address=EXCHANGE_HOT, entity="Binance hot wallet",
            category="exchange", token="native", tainted_amount=900, first_utc=day + 60 * m, last_utc=day + 60 * m,
            path_count=1)


def test_the_overview_shows_victims_and_losses_with_charts(incident: None, app_for: AppFor,
                                                          people: People) -> None:
    at = app_for(people.investigator)
    assert not at.exception
    m = {x.label: x.value for x in at.metric}
    assert (m["Victim accounts"], m["Computed loss"], m["Unauthorised trades"], m["Campaigns"],
            m["Compromised keys"], m["Trades"]) == ("2", "$604.80", "5", "1", "1", "6")
    assert list(frame(at, "pair")["loss (USD)"]) == ["604.80"]
    assert list(frame(at, "campaign")["accounts"]) == [2]
    assert len(at.get("vega_lite_chart")) == 4  # over time, by exchange, by pair, by campaign


def test_the_campaign_timeline_lists_each_account_burst(incident: None, app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator, "views/campaigns.py")
    assert not at.exception
    table = frame(at, "campaign")
    assert list(table["account"]) == ["111", "222"]
    assert list(table["first (UTC)"]) == ["2022-12-25 22:30:00", "2022-12-25 22:33:00"]
    assert len(at.get("vega_lite_chart")) == 2  # every campaign, then the one zoomed into
    assert at.selectbox(key="cp_campaign").value == "C1 (AKRO/BTC)"
    minutes = frame(at, "buys above fair price")  # the chosen campaign, ten minutes at a time
    assert list(minutes["from (UTC)"]) == ["2022-12-25 22:30", "2022-12-25 22:30"]
    assert list(minutes["account"]) == ["111", "222"]
    assert sum(minutes["trades"]) == 5


def test_the_account_view_marks_flagged_trades_against_the_reference(incident: None, app_for: AppFor,
                                                                    people: People) -> None:
    at = app_for(people.investigator, "views/account.py")
    assert not at.exception
    assert at.selectbox(key="av_account").value == "binance:111"  # worst loss first
    m = {x.label: x.value for x in at.metric}
    assert (m["Trades shown"], m["Judged unauthorised"], m["Computed loss (USD)"]) == ("4", "3", "362.88")
    table = frame(at, "unauthorised")
    assert list(table["unauthorised"]) == [True, True, True, False]
    assert set(table["reference"]) == {"0.0000009"}
    at.selectbox(key="av_account").select("binance:222").run()
    assert {x.label: x.value for x in at.metric}["Trades shown"] == "2"
    at.text_input(key="av_typed").input("binance:999").run()
    assert [e.value for e in at.error] == ["No account binance\\:999 is under investigation (write it as "
                                           "exchange:UID)."]


def test_the_fund_flow_draws_the_trace_and_its_cash_out_points(incident: None, app_for: AppFor,
                                                              people: People) -> None:
    at = app_for(people.investigator, "views/fund_flow.py")
    assert not at.exception
    dot = at.get("graphviz_chart")[0].proto.spec
    assert "seed" in dot and "cash-out" in dot and "Binance hot wallet" in dot
    assert dot.count("->") == 2
    cash = frame(at, "entity")
    assert list(cash["entity"]) == ["Binance hot wallet"]
    assert list(cash["tainted amount"]) == ["0.0000000000000009 ETH"]  # 900 wei, as the reports show it


def test_key_lookup_shows_a_leaked_key(incident: None, ws: Workspace, app_for: AppFor, people: People) -> None:
    fp = "cd" * 32
    with ws.db.write() as con:
        con.execute("INSERT INTO leaks VALUES ('L1', 'pastebin 2022-12-28', '2022-12-28', now(), 1)")
        con.execute("INSERT INTO leaked_keys VALUES (?, 'binance', 'L1', 7)", [fp])
    at = app_for(people.investigator, "views/key_lookup.py")
    at.text_input(key="kl_fp").input(fp.upper())
    click(at, "Look up")
    assert [e.value for e in at.error] == ["This key is in 1 leaked dump."]
    assert list(frame(at, "source")["detail"]) == ["pastebin 2022-12-28"]


def test_a_victim_sees_the_computed_loss_with_its_explanation(incident: None, ws: Workspace, app_for: AppFor,
                                                             people: People) -> None:
    cid = claims.file_claim(ws, people.victim, exchange="binance", account="111", contact_email="v@example.org")
    at = app_for(people.victim, "views/my_claims.py")
    # nothing yet shows the account is the victim's: its findings are not for whoever types its UID
    assert "Computed loss (USD)" not in [x.label for x in at.metric]
    assert "The loss keytrace computes for an account is shown to its holder" in texts(at)
    claims.set_status(ws, people.investigator, cid, "in_review", None)
    claims.set_status(ws, people.investigator, cid, "verified", None)
    at = app_for(people.victim, "views/my_claims.py")
    m = {x.label: x.value for x in at.metric}
    assert (m["Computed loss (USD)"], m["Trades judged unauthorised"]) == ("362.88", "3")
    shown = texts(at)
    assert "median close of its 1h reference bars opening in the 24 hours before" in shown
    assert "The API key of this account is among the leaked keys." in shown
