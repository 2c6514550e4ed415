"""`keytrace report incident` and `keytrace report bundle`: checked against the queries."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
import stix2
from stix2validator import ValidationOptions, validate_string

from app.cli import main
from core.formatting import coin_name, dec, iso, token_amount, usd
from core.workspace import Workspace
from queries import runner
from reports import sign
from tests.reports import casebuilder as cb
from tests.reports.conftest import flat, pdf_pages


def test_incident_report_campaigns_victims_losses_and_cash_out_by_entity(
        ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "incident.pdf"
    assert main(["--db", str(ws.settings.db_path), "report", "incident", "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    pages = pdf_pages(out)
    text = flat("\n".join(pages))
    with ws.db.read() as con:
        campaigns = runner.run(con, "report/incident_campaigns")
        victims = runner.run(con, "report/incident_victims")
        by_pair = runner.run(con, "report/incident_losses_by_exchange_pair")
        groups = runner.run(con, "report/incident_cash_out_by_entity")
        attackers = runner.run(con, "report/attacker_addresses")
    for n, page in enumerate(pages, 1):
        assert f"page {n} of {len(pages)}" in flat(page)
    for section in ("Campaigns", "Losses by exchange and pair", "Victims", "Cash-out points by entity",
                    "Attacker addresses", "Evidence", "Appendix: Methodology"):
        assert section in text
    for c in campaigns:
        assert (f"{c['campaign_id']} {c['pair']} {iso(c['start_utc'])} {iso(c['end_utc'])} {c['accounts']} "
                f"{c['trades']} {usd(c['loss_usd'])}") in text
    for v in victims:
        assert f"{v['exchange']} {v['account']} {v['unauthorized_trades']} {usd(v['loss_usd'])}" in text
        assert v["claim_ids"] == str(case.claim_id)
    assert f"{len(victims)} victim accounts, {case.trades} unauthorised trades, {len(campaigns)} campaigns" in text
    assert f"campaign timeline, {len(campaigns)} campaigns" in text
    for c in campaigns:  # each bar is labelled with its campaign, pair, accounts, trades and loss
        assert f"{c['campaign_id'][:12]} {c['pair']}" in text
        assert f"{c['accounts']} accounts, {c['trades']} trades, {usd(c['loss_usd'])} USD" in text
    for r in by_pair:
        assert f"{r['exchange']} {r['pair']} {r['accounts']} {r['trades']} {usd(r['loss_usd'])}" in text
    assert {g["entity"] for g in groups} == {"Binance", cb.EVIL_ENTITY}
    for g in groups:
        assert (f"{g['entity']} {g['category']} {coin_name(g['symbol'], g['token'])} {g['addresses']} "
                f"{dec(token_amount(g['tainted_amount'], g['decimals']))}") in text
    assert [a["address"] for a in attackers] == [cb.ATTACKER]
    assert cb.ATTACKER in text
    assert sign.verify_pdf(out.read_bytes(), [trial_cert]).intact
    assert "Signed with a TRIAL self-signed certificate" in flat(pages[0])
    assert result["kind"] == "incident_report"
    if shutil.which("pdftoppm"):
        proc = subprocess.run(["pdftoppm", "-r", "30", "-png", str(out), str(tmp_path / "pg")],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0 and proc.stderr.strip() == ""
        assert len(list(tmp_path.glob("pg-*.png"))) == len(pages)


def _zip(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def test_pairs_that_netted_a_gain_are_counted_not_listed_as_losses(ws: Workspace, case: cb.Case,
                                                                   tmp_path: Path) -> None:
    with ws.db.write() as con:  # one unauthorised trade that sold at above the fair price, in a pair of its own
        con.execute("UPDATE unauthorized_trades SET pair = 'GAIN/USDT', loss_usd = -2437.99 "
                    "WHERE source_row = (SELECT min(source_row) FROM unauthorized_trades)")
    out = tmp_path / "incident.pdf"
    assert main(["--db", str(ws.settings.db_path), "report", "incident", "--out", str(out), "--unsigned"]) == 0
    text = flat("\n".join(pdf_pages(out)))
    section = text[text.index("Losses by exchange and pair"):text.index("Total loss:")]
    assert "GAIN/USDT" not in section and "-2,437.99" not in text
    assert "1 more pair(s) netted no loss" in section


def test_claim_bundle(ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path,
                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.zip"
    assert main(["--db", str(ws.settings.db_path), "report", "bundle", "claim", str(case.claim_id),
                 "--out", str(out), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    files = _zip(out)
    manifest = json.loads(files.pop("manifest.json"))
    assert files.pop("manifest.json.p7s")  # the manifest's signature (tests/reports/test_bundle_verify.py)
    assert manifest["claim_id"] == case.claim_id and manifest["report_signed"] is True
    assert sorted(f["name"] for f in manifest["files"]) == sorted(files)
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
    # the signed report inside is intact
    assert sign.verify_pdf(files[f"claim_{case.claim_id}_report.pdf"], [trial_cert]).intact
    # CSVs: UTF-8, exact amounts, one row per unauthorised trade, formula cells neutralised
    trades = list(csv.DictReader(io.StringIO(files["unauthorized_trades.csv"].decode("utf-8"))))
    with ws.db.read() as con:
        expected = runner.run(con, "report/account_unauthorized_trades",
                              {"exchange": cb.EXCHANGE, "account": cb.ACCOUNT})
    assert len(trades) == len(expected) == case.trades
    assert [(t["time_utc"], t["price"], t["loss_usd"]) for t in trades] == [
        (iso(e["time_utc"]), dec(e["price"]), dec(e["loss_usd"])) for e in expected]
    cash = list(csv.DictReader(io.StringIO(files["cash_out_points.csv"].decode())))
    assert {c["entity"] for c in cash} == {"Binance", "'" + cb.EVIL_ENTITY}
    for name, body in files.items():
        if name.endswith(".csv"):
            for row in csv.reader(io.StringIO(body.decode("utf-8"))):
                for cell in row:
                    assert not (cell[:1] in ("=", "+", "@") or (cell[:1] == "-" and not cell[1:2].isdigit())), (
                        name, cell)
    # STIX 2.1 parses with stix2; attacker address and campaign are in it
    bundle = stix2.parse(files["stix2_bundle.json"].decode(), version="2.1")
    strict = validate_string(files["stix2_bundle.json"].decode(), ValidationOptions(version="2.1", strict=True))
    assert strict.is_valid, [str(e) for e in strict.errors]
    patterns = " ".join(o.pattern for o in bundle.objects if o.type == "indicator")
    assert cb.ATTACKER in patterns and cb.CEX_BINANCE in patterns
    assert [o.name for o in bundle.objects if o.type == "campaign"] == ["XYZ/USDT pump through leaked API keys (CMP-XYZ-1)"]
    # every fact as JSON, exact amounts as strings
    data = json.loads(files["report_data.json"])
    assert data["header"]["claim_id"] == case.claim_id
    assert [t["loss_usd"] for t in data["trades"]] == [dec(e["loss_usd"]) for e in expected]
    assert data["claimant"]["email"] == cb.CLAIMANT_EMAIL and data["claimant"]["visible_as"] == "legal"
    # MISP event
    misp = json.loads(files["misp_event.json"])["Event"]
    assert cb.ATTACKER in json.dumps(misp["Object"])
    # IC3: the withdrawal and the traced cash-out transfers with hashes and both addresses
    ic3 = json.loads(files["ic3_complaint.json"])
    rows = ic3["transactions"]
    kinds = {r["record_type"] for r in rows}
    assert kinds == {"loss", "withdrawal", "attacker_cash_out"}
    withdrawal = next(r for r in rows if r["record_type"] == "withdrawal")
    assert (withdrawal["transaction_hash"], withdrawal["receiving_address"], withdrawal["amount"],
            withdrawal["coin"]) == (cb.TX_WITHDRAW, cb.VICTIM_WALLET, "250.5", "USDT")
    outs = {(r["transaction_hash"], r["sending_address"], r["receiving_address"], r["amount"])
            for r in rows if r["record_type"] == "attacker_cash_out"}
    assert outs == {(cb.TX_B, cb.MIDDLE, cb.CEX_BINANCE, "600"), (cb.TX_C, cb.MIDDLE, cb.CEX_EVIL, "400")}
    loss_rows = [r for r in rows if r["record_type"] == "loss"]
    assert sum((Decimal(r["usd_value"]) for r in loss_rows if r["usd_value"]), Decimal(0)) == sum(
        e["loss_usd"] for e in expected)
    assert ic3["summary"]["total_loss_usd"] == dec(sum(e["loss_usd"] for e in expected))
    ic3_csv = list(csv.DictReader(io.StringIO(files["ic3_transactions.csv"].decode())))
    assert len(ic3_csv) == len(rows)
    # recorded: audit trail + evidence store + custody
    sha = hashlib.sha256(out.read_bytes()).hexdigest()
    assert result["sha256"] == sha
    with ws.db.read() as con:
        assert con.execute("SELECT kind FROM evidence_files WHERE sha256 = ?", [sha]).fetchall() == [("export_bundle",)]
        assert con.execute("SELECT count(*) FROM custody_log WHERE sha256 = ? AND action = 'exported'",
                           [sha]).fetchall()[0][0] == 1
        details = con.execute("SELECT details FROM audit_log WHERE action = 'report.claim_bundle'").fetchall()
    assert json.loads(details[0][0])["sha256"] == sha


def test_incident_bundle_unsigned(ws: Workspace, case: cb.Case, tmp_path: Path) -> None:
    out = tmp_path / "incident.zip"
    assert main(["--db", str(ws.settings.db_path), "report", "bundle", "incident", "--out", str(out),
                 "--unsigned"]) == 0
    files = _zip(out)
    manifest = json.loads(files.pop("manifest.json"))
    assert manifest["report_signed"] is False and manifest["manifest_signature"] is None
    assert "manifest.json.p7s" not in files
    assert json.loads(files["report_data.json"])["trade_count"] == case.trades
    for entry in manifest["files"]:
        assert hashlib.sha256(files[entry["name"]]).hexdigest() == entry["sha256"]
    groups = list(csv.DictReader(io.StringIO(files["cash_out_by_entity.csv"].decode())))
    assert {(g["entity"], g["tainted_amount"]) for g in groups} == {("Binance", "600"), ("'" + cb.EVIL_ENTITY, "400")}
    stix2.parse(files["stix2_bundle.json"].decode(), version="2.1")
    assert not sign.verify_pdf(files["incident_report.pdf"]).signed


def test_bundle_usage_errors(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    assert main(["--db", db, "report", "bundle", "claim", "--out", str(tmp_path / "x.zip")]) == 2
    assert "needs the claim number" in capsys.readouterr().err
    assert main(["--db", db, "report", "bundle", "incident", "3", "--out", str(tmp_path / "x.zip")]) == 2
