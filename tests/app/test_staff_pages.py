"""The staff pages' QA defects, driven through the real app (AppTest) and checked on what the user sees:
SQL console cells and messages, the reports page with and without a signing certificate, the overview's
headline figures and charts, and the fund flow in token units."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from streamlit.testing.v1 import AppTest

from core.workspace import Workspace
from reports import sign
from tests.app.conftest import AppFor, People
from tests.app.test_analysis_pages import EXCHANGE_HOT, HOP, SEED, T0, incident, put  # noqa: F401
from tests.app.test_pages import click, file_claim, frame, texts

USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"  # no token_metadata row: the reports' well-known list
AKRO = "0x" + "dd" * 20                              # described by a token_metadata row


def run_sql(at: AppTest, query: str) -> AppTest:
    at.text_area(key="sql_text").input(query)
    return click(at, "Run")


@pytest.fixture
def arrow_fallbacks() -> Iterator[list[str]]:
    """What Streamlit logs when a table cannot be converted to Arrow as it is (mixed column types)."""
    seen: list[str] = []

    class Catch(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            seen.append(record.getMessage())

    log = logging.getLogger("streamlit.dataframe_util")
    handler, level = Catch(logging.DEBUG), log.level
    log.addHandler(handler)
    log.setLevel(logging.DEBUG)
    try:
        yield seen
    finally:
        log.removeHandler(handler)
        log.setLevel(level)


# -- 1, 2: SQL console ----------------------------------------------------------------------------
def test_the_sql_console_shows_encrypted_columns_as_binary_instead_of_crashing(ws: Workspace, app_for: AppFor,
                                                                            people: People) -> None:
    file_claim(ws, people)
    at = run_sql(app_for(people.investigator, "views/sql_console.py"), "SELECT * FROM claims LIMIT 5")
    assert not at.exception and not at.error
    row = frame(at, "contact_email_enc").iloc[0]
    assert re.fullmatch(r"<binary, \d+ bytes: [0-9a-f]{16}\.\.\.>", row["contact_email_enc"])
    assert row["exchange"] == "binance" and row["claimed_loss_usd"] == "1000.00"
    assert row["case_id"] == "NULL"
    assert any(c.value.startswith("1 row in ") for c in at.caption), [c.value for c in at.caption]


def test_the_sql_console_shows_exact_decimals_without_noise(ws: Workspace, app_for: AppFor,
                                                           people: People) -> None:
    at = run_sql(app_for(people.investigator, "views/sql_console.py"),
                 "SELECT CAST(1.4912 AS DECIMAL(38,18)) AS rate, CAST(135015.76213799 AS DECIMAL(38,8)) AS loss, "
                 "CAST(604.80 AS DECIMAL(38,2)) AS cents, 0.1::DOUBLE AS f, [1.50::DECIMAL(4,2)] AS l, 1 AS n, 2 AS n "
                 "FROM range(2)")
    assert not at.exception and not at.error
    table = frame(at, "rate")
    assert list(table.columns) == ["rate", "loss", "cents", "f", "l", "n", "n (2)"]
    assert table.iloc[0].tolist() == ["1.4912", "135015.76213799", "604.80", "0.1", "[1.50]", "1", "2"]
    assert any(c.value.startswith("2 rows in ") for c in at.caption)


def test_the_sql_console_shows_every_column_type(app_for: AppFor, people: People) -> None:
    at = run_sql(app_for(people.investigator, "views/sql_console.py"),
                 "SELECT from_hex('bf') AS b, {'k': from_hex('00ff')} AS s, map([1], [2.50]) AS m, 1::HUGEINT AS h, "
                 "INTERVAL 3 DAY AS i, TIMESTAMPTZ '2022-12-25 22:29:00+00' AS ts, NULL AS z, true AS t, "
                 "'00000000-0000-0000-0000-000000000001'::UUID AS u")
    assert not at.exception and not at.error
    row = frame(at, "ts").iloc[0]
    assert (row["b"], row["s"], row["h"], row["z"], row["t"]) == ("<binary, 1 byte: bf>", "{k: <binary, 2 bytes: 00ff>}",
                                                                  "1", "NULL", "true")
    assert row["ts"] == "2022-12-25 22:29:00+00:00" and row["u"] == "00000000-0000-0000-0000-000000000001"


@pytest.mark.usefixtures("incident")
def test_the_sql_console_example_shows_losses_in_cents(app_for: AppFor, people: People) -> None:
    at = click(app_for(people.investigator, "views/sql_console.py"), "Run")
    assert list(frame(at, "loss_usd")["loss_usd"]) == ["362.88", "241.92"]


def test_the_sql_console_says_what_is_wrong_with_a_query(app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator, "views/sql_console.py")
    run_sql(at, "SELEC 1")
    assert [e.value for e in at.error] == ['The query does not parse\\: syntax error at or near "SELEC".']
    run_sql(at, "SELECT * FROM read_csv('/etc/passwd')")
    [said] = [e.value for e in at.error]
    assert said.startswith("The console cannot read files") and "parse" not in said
    run_sql(at, "DELETE FROM claims")
    assert "read-only queries only" in at.error[0].value


# -- 3, 4: reports --------------------------------------------------------------------------------
def test_without_a_certificate_reports_are_unsigned_and_bundles_still_generate(
        ws: Workspace, app_for: AppFor, people: People, monkeypatch: pytest.MonkeyPatch,
        arrow_fallbacks: list[str]) -> None:
    monkeypatch.delenv("KEYTRACE_SIGNING_PKCS12", raising=False)
    cid = file_claim(ws, people)
    at = app_for(people.legal, "views/reports.py")
    assert not at.exception
    [note] = [i.value for i in at.info]
    assert note.startswith("No signing certificate is configured") and "administrator" in note
    assert "--unsigned" not in texts(at) and "keytrace init" not in texts(at)
    box = at.checkbox(key="rp_signed")
    assert box.value is False and box.disabled
    at.selectbox(key="rp_kind").select("claim_bundle")
    at.selectbox(key="rp_claim").select(cid)
    click(at, "Generate")
    assert not at.exception and not at.error, [e.value for e in at.error]
    [done] = [s.value for s in at.success]
    assert re.fullmatch(rf"claim-{cid}-bundle\.zip is ready \(\d+(\.\d)? (KB|MB), unsigned\)\.", done), done
    at.selectbox(key="rp_kind").select("incident_bundle")
    click(at, "Generate")
    assert not at.error, [e.value for e in at.error]
    table = frame(at, "kind")
    assert set(table["file"]) == {f"claim-{cid}-bundle.zip", "incident-bundle.zip"}
    by_file = table.set_index("file")
    assert by_file.loc[f"claim-{cid}-bundle.zip", "kind"] == "Claim evidence bundle (ZIP)"
    assert by_file.loc["incident-bundle.zip", "kind"] == "Incident evidence bundle (ZIP)"
    assert by_file.loc[f"claim-{cid}-bundle.zip", "claim"] == str(cid)
    assert by_file.loc["incident-bundle.zip", "claim"] == ""
    assert set(table["made by"]) == {"lena"}
    assert all(re.fullmatch(r"\d+(\.\d)? (KB|MB)", s) for s in table["size"]), list(table["size"])
    assert not [m for m in arrow_fallbacks if "Arrow" in m], arrow_fallbacks


def test_with_a_certificate_reports_are_signed_by_default(ws: Workspace, app_for: AppFor, people: People,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("KEYTRACE_SIGNING_PKCS12", raising=False)
    sign.create_self_signed(ws, key=rsa.generate_private_key(public_exponent=65537, key_size=2048))
    cid = file_claim(ws, people)
    at = app_for(people.legal, "views/reports.py")
    assert not at.info and not at.exception
    box = at.checkbox(key="rp_signed")
    assert box.value is True and not box.disabled
    at.selectbox(key="rp_kind").select("claim_report")
    at.selectbox(key="rp_claim").select(cid)
    click(at, "Generate")
    assert not at.error, [e.value for e in at.error]
    assert [s.value for s in at.success][0].endswith(", signed).")


# -- 5: overview ----------------------------------------------------------------------------------
@pytest.fixture
def big_incident(incident: None, ws: Workspace) -> None:  # noqa: F811 - the imported fixture
    """The incident, plus a large loss through a pair that sorts last and a pair that netted a gain."""
    with ws.db.write() as con:
        for row, pair, loss in ((20, "ZRX/USDT", Decimal("2385815.69306584")), (21, "DOGE/USDT", Decimal("-1.21"))):
            put(con, "unauthorized_trades", exchange="binance", account="333", evidence_sha256="e2",
                source_row=row, time_utc=T0 + timedelta(days=3), pair=pair, side="sell", price=1, quantity=1,
                quote_quantity=1, fee=0, fee_asset="BNB", score=90, reasons="PRICE_DEVIATION", session_id=2,
                campaign_id=None, anchor_utc=T0, fair_price=1, quote_usd=1, given_usd=0, received_usd=0,
                fee_usd=0, loss_usd=loss)
        put(con, "account_losses", exchange="binance", account="333", first_unauthorized_utc=T0 + timedelta(days=3),
            last_unauthorized_utc=T0 + timedelta(days=3), unauthorized_trades=2,
            net_value_change_usd=Decimal("2385814.48306584"), loss_usd=Decimal("2385814.48306584"),
            unpriced_trades=0, compromised_key=False)


def _spec(at: AppTest, containing: str) -> dict[str, Any]:
    for chart in at.get("vega_lite_chart"):
        if containing in chart.proto.spec:
            found: dict[str, Any] = json.loads(chart.proto.spec)
            return found
    raise AssertionError(f"no chart mentions {containing!r}")


@pytest.mark.usefixtures("big_incident")
def test_the_overview_headline_fits_and_the_charts_tell_the_truth(app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator)
    assert not at.exception
    loss = next(m for m in at.metric if m.label == "Computed loss")
    assert loss.value == "$2.39M"
    assert "2,386,419.28306584 USD" in loss.proto.help
    pairs = frame(at, "pair")
    # largest loss first; DOGE/USDT's gain shown as such, so that the rows add up to the headline
    assert list(pairs["pair"]) == ["ZRX/USDT", "AKRO/BTC", "DOGE/USDT (netted a gain)"]
    assert list(pairs["loss (USD)"]) == ["2,385,815.69", "604.80", "-1.21"]
    bars = json.dumps(_spec(at, "pair"))
    assert '"-x"' in bars or '"descending"' in bars, bars  # bars ordered by loss, not by name
    assert '"interpolate": "step-after"' in json.dumps(_spec(at, "step-after"))
    campaigns = json.dumps(_spec(at, "campaign"))
    assert '"-x"' in campaigns or '"descending"' in campaigns, campaigns  # campaigns by loss too


# -- 6: fund flow ---------------------------------------------------------------------------------
@pytest.fixture
def token_trace(incident: None, ws: Workspace) -> None:  # noqa: F811 - the imported fixture
    """A newer haircut trace in USDT (no metadata row) and AKRO (8 decimals in token_metadata)."""
    day = T0 + timedelta(days=2)
    with ws.db.write() as con:
        put(con, "token_metadata", chain_id=1, token=AKRO, symbol="AKRO", name="Akropolis", decimals=8)
        put(con, "trace_runs", trace_id="T2", created_at=day, model="haircut", direction="forward", hops=2,
            seeds=f'["{SEED}"]', edges=3, cash_out_points=1)
        for hop, tx, token, src, dst, raw, tainted in (
                (1, "0x11", USDT, SEED, HOP, 1000000000000, Decimal("1000000000000")),
                (2, "0x12", USDT, HOP, EXCHANGE_HOT, 700000000001, Decimal("700000000000.5")),
                (1, "0x13", AKRO, SEED, HOP, 12345678900, Decimal("12345678900"))):
            put(con, "trace_edges", trace_id="T2", hop=hop, chain_id=1, tx_hash=tx, log_index=0, token=token,
                from_address=src, to_address=dst, time_utc=day, block_number=200 + hop, value=str(raw),
                tainted=tainted, origin_is_seed=hop == 1)
        put(con, "trace_cash_out_points", trace_id="T2", address=EXCHANGE_HOT, entity="Binance hot wallet",
            category="exchange", token=USDT, tainted_amount=Decimal("700000000000.5"), first_utc=day, last_utc=day,
            path_count=1)


@pytest.mark.usefixtures("token_trace")
def test_the_fund_flow_shows_token_amounts_like_the_reports(app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator, "views/fund_flow.py")
    assert not at.exception
    picked = at.selectbox(key="ff_trace")
    assert picked.label == "Trace (run at, UTC)"
    assert picked.options[0].startswith("2022-12-27 22:29 UTC, haircut forward")  # the newest, chosen
    cash = frame(at, "entity")
    assert list(cash["token"]) == ["USDT"]
    assert list(cash["tainted amount"]) == ["700,000.0000005 USDT"]  # exact, in token units
    dot = at.get("graphviz_chart")[0].proto.spec
    assert 'label="1,000,000 USDT (1)"' in dot
    assert 'label="~700,000.00 USDT (1)"' in dot and 'tooltip="700,000.0000005 USDT in 1 transfer"' in dot
    assert 'label="~123.46 AKRO (1)"' in dot and 'tooltip="123.456789 AKRO in 1 transfer"' in dot  # 8 decimals
    assert "700000000000" not in dot and USDT not in "".join(cash["token"])
