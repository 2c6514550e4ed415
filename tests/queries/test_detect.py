from __future__ import annotations

from decimal import Decimal

from core.db import rows
from core.workspace import Workspace
from queries import runner
from queries.detect import detect


def _unauthorized(ws: Workspace) -> dict[str, int]:
    with ws.db.read() as con:
        got = rows(con, "SELECT account, count(*) AS n FROM unauthorized_trades GROUP BY account")
    return {r["account"]: r["n"] for r in got}


def test_flags_exactly_the_attack_trades(incident: Workspace) -> None:
    summary = detect(incident)
    assert _unauthorized(incident) == {"v1": 12, "v2": 4}
    assert summary.unauthorized == 16
    assert summary.trades_scored == 1 + 12 + 4 + 30 + 5 + 3


def test_losses_per_account_and_campaign(incident: Workspace) -> None:
    detect(incident)
    with incident.db.read() as con:
        losses = {r["account"]: r["loss_usd"] for r in rows(con, "SELECT account, loss_usd FROM account_losses")}
        camps = rows(con, "SELECT * FROM campaigns")
        keys = rows(con, "SELECT * FROM account_losses WHERE account = 'v1'")
    assert losses == {"v1": Decimal("2806.40"), "v2": Decimal("320.36")}
    assert len(camps) == 1
    assert camps[0]["pair"] == "AKRO/USDT"
    assert camps[0]["accounts"] == 2 and camps[0]["trades"] == 16
    assert camps[0]["loss_usd"] == Decimal("3126.76")
    assert keys[0]["compromised_key"] is True


def test_reason_codes(incident: Workspace) -> None:
    detect(incident)
    with incident.db.read() as con:
        got = rows(con, "SELECT account, pair, side, reasons, score FROM trade_scores ORDER BY source_row")
    akro_v1 = [r for r in got if r["account"] == "v1" and r["side"] == "buy" and r["reasons"]
               and "PRICE_DEVIATION" in r["reasons"]]
    assert len(akro_v1) == 10
    assert akro_v1[0]["reasons"].split(";") == [
        "ATTACK_SESSION", "PRICE_DEVIATION", "THIN_PAIR", "SELL_ALL_BUY_ONE", "BOT_BURST", "CROSS_VICTIM", "SAME_COUNTER_ORDER",
        "LEAKED_KEY", "API_CHANNEL"]
    sells = [r for r in got if r["account"] == "v1" and r["side"] == "sell"]
    assert {r["reasons"] for r in sells} == {"ATTACK_SESSION;SELL_ALL_BUY_ONE;BOT_BURST;LEAKED_KEY;API_CHANNEL"}
    v2 = [r for r in got if r["account"] == "v2"]
    assert {r["reasons"] for r in v2} == {"ATTACK_SESSION;PRICE_DEVIATION;THIN_PAIR;CROSS_VICTIM;NO_DEPOSIT_WITHDRAWAL"}
    assert {r["score"] for r in v2} == {50 + 40 + 15 + 15 + 5}
    bot = [r for r in got if r["account"] == "botuser"]
    assert all(r["reasons"].startswith("ATTACK_SESSION") and r["reasons"].endswith("BOT_EXPLAINED") for r in bot)
    thin = [r for r in got if r["account"] == "thinlegit"]
    assert {r["reasons"] for r in thin} == {"THIN_PAIR"}
    active = [r for r in got if r["account"] == "active"]
    assert {r["reasons"] for r in active} == {"BOT_BURST;API_CHANNEL"}
    clean_month = [r for r in got if r["account"] == "v1" and r["reasons"] == "THIN_PAIR;LEAKED_KEY"]
    assert len(clean_month) == 1


def test_detect_is_idempotent_and_audits_pass(incident: Workspace) -> None:
    detect(incident)
    with incident.db.read() as con:
        first = rows(con, "SELECT * FROM unauthorized_trades ORDER BY source_row")
    detect(incident)
    with incident.db.read() as con:
        second = rows(con, "SELECT * FROM unauthorized_trades ORDER BY source_row")
        audits = runner.run_audits(con)
    assert first == second
    assert audits and all(found == [] for found in audits.values()), audits


def test_thresholds_come_from_configuration(incident: Workspace, tmp_path: object, monkeypatch: object) -> None:
    import dataclasses

    settings = dataclasses.replace(incident.settings, sections={"detection": {"min_pump_trades": 5}})
    ws = Workspace(settings, lock_timeout=10)
    detect(ws)
    # v2 made only four pumped buys: below the configured five, it is no longer an attack session
    assert _unauthorized(ws) == {"v1": 12}


def test_cli_detect_json(incident: Workspace, capsys: object) -> None:
    import json

    import pytest

    from app.cli import main

    assert isinstance(capsys, pytest.CaptureFixture)
    assert main(["--db", str(incident.settings.db_path), "detect", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["unauthorized"], out["accounts"], out["campaigns"], out["loss_usd"]) == (16, 2, 1, "3126.76")
    assert main(["--db", str(incident.settings.db_path), "detect"]) == 0
    assert "16 unauthorised in 2 accounts" in capsys.readouterr().out


def test_campaign_timeline(incident: Workspace) -> None:
    detect(incident)
    with incident.db.read() as con:
        cid = rows(con, "SELECT campaign_id FROM campaigns")[0]["campaign_id"]
        got = runner.run(con, "report/campaign_timeline", {"campaign_id": cid})
    assert [(r["account"], r["trades"], r["sells"], r["buys"], r["buys_above_fair"], r["loss_usd"]) for r in got] == [
        ("v1", 12, 2, 10, 10, Decimal("2806.40")), ("v2", 4, 0, 4, 4, Decimal("320.36"))]
    assert str(got[0]["bucket_utc"]).startswith("2022-12-25 22:20")
    assert got[1]["pairs"] == "AKRO/USDT"


def test_detect_on_an_empty_database(ws: Workspace) -> None:
    s = detect(ws)
    assert (s.trades_scored, s.unauthorized, s.campaigns, s.loss_usd) == (0, 0, 0, "0.00")
    with ws.db.read() as con:
        assert rows(con, "SELECT count(*) AS n FROM detection_runs") == [{"n": 1}]


def test_unknown_threshold_is_refused(incident: Workspace) -> None:
    import dataclasses

    import pytest

    from core.errors import ConfigError

    settings = dataclasses.replace(incident.settings, sections={"detection": {"price_deviaton": 0.5}})
    with pytest.raises(ConfigError, match="unknown setting 'price_deviaton'"):
        detect(Workspace(settings, lock_timeout=10))
