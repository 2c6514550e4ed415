"""`keytrace report claim`: the signed claim report, checked page by page against the queries."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from app.cli import main
from core.formatting import dec, iso, token_amount, usd
from core.workspace import Workspace
from queries import runner
from reports import sign
from tests.reports import casebuilder as cb
from tests.reports.conftest import UnitCert, flat, pdf_pages


def _report(ws: Workspace, case: cb.Case, out: Path, *extra: str) -> int:
    return main(["--db", str(ws.settings.db_path), "report", "claim", str(case.claim_id), "--out", str(out), *extra])


def test_claim_report_states_every_fact_the_queries_return(ws: Workspace, case: cb.Case, trial_cert: bytes,
                                                            tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.pdf"
    assert _report(ws, case, out, "--json") == 0
    result = json.loads(capsys.readouterr().out)
    pages = pdf_pages(out)
    text = flat("\n".join(pages))
    acct = {"exchange": cb.EXCHANGE, "account": cb.ACCOUNT}
    with ws.db.read() as con:
        trades = runner.run(con, "report/account_unauthorized_trades", acct)
        loss = runner.run(con, "report/account_loss", acct)[0]
        keys = runner.run(con, "report/account_compromised_keys", {**acct, "fingerprint": cb.FINGERPRINT})
        own = runner.run(con, "report/claim_ownership", {"claim_id": case.claim_id})
        scoped = {"claim_id": case.claim_id, **acct}
        evidence = runner.run(con, "report/claim_evidence", scoped)
        custody = runner.run(con, "report/custody", {"shas": [e["sha256"] for e in evidence]})
        points = runner.run(con, "trace/cash_out_points", {"trace_id": "trace-1"})
        edges = runner.run(con, "report/trace_edges", {"trace_id": "trace-1"})
        prices = runner.run(con, "report/account_reference_prices", acct)

    # identifiers, cover, generation time, page numbers on every page
    assert f"Claim report: claim {case.claim_id}" in text and cb.CASE_ID in text and cb.ACCOUNT in text
    assert re.search(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC", text)
    for n, page in enumerate(pages, 1):
        assert f"page {n} of {len(pages)}" in flat(page)
    for section in ("Claimant", "Ownership evidence", "Compromised-key evidence", "Loss", "Unauthorised trades",
                    "Charts", "Fund flow and cash-out points", "Evidence and custody", "Custody log",
                    "Appendix: Methodology"):
        assert section in text, section
    # claimant as legal sees it
    assert cb.CLAIMANT_NAME in text and cb.CLAIMANT_EMAIL in text and cb.CLAIMANT_PHONE in text
    # ownership and its level
    assert f"Ownership evidence level: {max(o['level'] for o in own)} of 100." in text
    for o in own:
        assert o["reason"] in text
    assert own, "generating the report grades the ownership evidence"
    assert cb.VICTIM_WALLET in text
    # fraud signals: the claimant states 99999 USD against a computed loss of a few hundred
    assert "LOSS_INFLATED" in text
    # compromised key: fingerprint, leak source and date
    assert keys and all(k["fingerprint"] in text and k["leak_source"] in text for k in keys)
    assert cb.LEAK_DATE.isoformat() in text
    # every unauthorised trade, with its price, quantity and loss
    assert len(trades) == case.trades
    for t in trades:
        row = f"{iso(t['time_utc'])} {t['pair']} {t['side']} {dec(t['price'])} {dec(t['quantity'])} " \
              f"{dec(t['quote_quantity'])}"
        assert row in text, row
        assert f"{usd(t['loss_usd'])} {t['evidence_sha256'][:10]}:{t['source_row']}" in text
    # reason codes are wrapped onto several lines inside their cell, never cut
    assert text.replace("; ", ";").count(cb.REASONS) == case.trades
    # the loss and its method; money for people (cents, thousands grouped), exact figures in the attachments
    assert "Loss stated by the claimant (USD) 99,999.00" in text
    assert re.search(r"Loss computed by keytrace: \d{1,3}(,\d{3})*\.\d\d USD", text)
    assert f"Loss (USD) {usd(loss['loss_usd'])}" in text
    assert f"Loss computed by keytrace: {usd(loss['loss_usd'])} USD over {case.trades} unauthorised trades" in text
    assert "bars opening in the 24 hours before the account's first unauthorised trade" in text
    # charts: the reference source (another venue, not the victim's own) and the flagged count
    assert {p["source"] for p in prices} == {"kucoin"}
    assert f"reference close (kucoin 1h, {len(prices)} bars); {case.trades} unauthorised trades marked" in text
    assert "XYZ/USDT: trade prices against the reference price" in text
    assert "balance per asset over time" in text
    # fund flow and cash-out points
    assert f"fund flow, {len(edges)} traced transfers; {len(points)} cash-out points" in text
    for p in points:
        assert p["address"] in text and p["entity"] in text
        assert dec(token_amount(p["tainted_amount"], p["decimals"])) in text
    for e in edges:
        assert e["tx_hash"] in text
    # evidence list with full SHA-256s and the custody log
    assert {e["sha256"] for e in evidence} >= {case.export_sha, case.price_sha, case.leak_sha, case.upload_sha}
    for e in evidence:
        assert e["sha256"] in text
    assert len(custody) >= len(evidence)

    # the tables travel inside the signed PDF as CSV attachments, equal to the bundle's CSVs
    from pypdf import PdfReader

    attached = PdfReader(str(out)).attachments
    assert set(attached) == {"unauthorized_trades.csv", "cash_out_points.csv", "evidence.csv", "custody_log.csv",
                             "ic3_transactions.csv"}
    rows = list(csv.DictReader(io.StringIO(attached["unauthorized_trades.csv"][0].decode("utf-8"))))
    assert [(r["time_utc"], r["price"], r["loss_usd"]) for r in rows] == [
        (iso(t["time_utc"]), dec(t["price"]), dec(t["loss_usd"])) for t in trades]

    # signed, intact, and recorded: audit trail, evidence store (kind report), custody log
    data = out.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    assert result["sha256"] == sha and result["signed"] is True
    check = sign.verify_pdf(data, [trial_cert])
    assert check.intact and check.valid and check.trusted and check.covers_whole_file
    with ws.db.read() as con:
        audit = con.execute("SELECT action, object, details FROM audit_log WHERE seq = ?",
                            [result["audit_seq"]]).fetchall()[0]
        stored = con.execute("SELECT kind, claim_id, case_id FROM evidence_files WHERE sha256 = ?", [sha]).fetchall()
        actions = {r[0] for r in con.execute("SELECT action FROM custody_log WHERE sha256 = ?", [sha]).fetchall()}
        cited = con.execute("SELECT count(*) FROM custody_log WHERE action = 'cited_in_report'").fetchall()[0][0]
    assert audit[0] == "report.claim_report" and audit[1] == f"claim:{case.claim_id}"
    assert json.loads(audit[2])["sha256"] == sha
    assert cb.CLAIMANT_EMAIL not in audit[2] and cb.CLAIMANT_NAME not in audit[2]
    assert stored == [("report", case.claim_id, cb.CASE_ID)]
    assert {"stored", "exported"} <= actions
    assert cited == len(evidence)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) is not installed")
def test_every_page_renders_with_pdftoppm(ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path) -> None:
    out = tmp_path / "claim.pdf"
    assert _report(ws, case, out) == 0
    pages = len(pdf_pages(out))
    proc = subprocess.run(["pdftoppm", "-r", "40", "-png", str(out), str(tmp_path / "page")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr.strip() == ""
    rendered = sorted(tmp_path.glob("page-*.png"))
    assert len(rendered) == pages and all(p.stat().st_size > 1000 for p in rendered)


def test_investigator_view_withholds_contact_details(ws: Workspace, case: cb.Case, tmp_path: Path) -> None:
    out = tmp_path / "inv.pdf"
    assert _report(ws, case, out, "--unsigned", "--role", "investigator") == 0
    text = flat("\n".join(pdf_pages(out)))
    assert cb.CLAIMANT_NAME in text
    assert cb.CLAIMANT_EMAIL not in text and cb.CLAIMANT_PHONE not in text
    assert "withheld for role investigator" in text
    assert "UNSIGNED" in text
    assert not sign.verify_pdf(out.read_bytes()).signed


def test_the_cover_names_a_leaked_key_only_when_one_was_found(ws: Workspace, case: cb.Case, tmp_path: Path) -> None:
    out = tmp_path / "with-key.pdf"
    assert _report(ws, case, out, "--unsigned") == 0
    assert f"Unauthorised trading on {cb.EXCHANGE} account {cb.ACCOUNT} through a leaked API key" in \
        flat("\n".join(pdf_pages(out)))
    with ws.db.write() as con:
        con.execute("DELETE FROM compromised_keys")
    out = tmp_path / "no-key.pdf"
    assert _report(ws, case, out, "--unsigned") == 0
    text = flat("\n".join(pdf_pages(out)))
    assert f"Unauthorised trading on {cb.EXCHANGE} account {cb.ACCOUNT}" in text
    assert "through a leaked API key" not in text
    assert "No key of this account was found in an imported leak." in text


def test_signature_needed_unless_unsigned_is_asked_for(ws: Workspace, case: cb.Case, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.pdf"
    with ws.db.read() as con:
        before = con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    assert _report(ws, case, out) == 1
    err = capsys.readouterr().err
    assert "no signing certificate" in err and err.count("\n") == 1
    assert not out.exists()
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM audit_log").fetchall()[0][0] == before


def test_unknown_claim_is_one_sentence(ws: Workspace, case: cb.Case, tmp_path: Path,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(ws.settings.db_path), "report", "claim", "999", "--out", str(tmp_path / "x.pdf"),
                 "--unsigned"]) == 1
    assert "there is no claim 999" in capsys.readouterr().err


def test_report_verify_command(ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path,
                               capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.pdf"
    assert _report(ws, case, out) == 0
    capsys.readouterr()
    assert main(["--db", str(ws.settings.db_path), "report", "verify", str(out)]) == 0
    said = capsys.readouterr().out
    assert "intact and valid, not trusted: signed with keytrace's trial self-signed certificate" in said
    assert "trusted" not in said.replace("not trusted", "").replace("--trust", "")
    assert main(["--db", str(ws.settings.db_path), "report", "verify", str(out), "--trust-trial-cert"]) == 0
    assert "intact and valid, trusted only because you asked" in capsys.readouterr().out
    data = bytearray(out.read_bytes())
    data[len(data) // 3] ^= 0x20
    bad = tmp_path / "tampered.pdf"
    bad.write_bytes(bytes(data))
    assert main(["--db", str(ws.settings.db_path), "report", "verify", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("keytrace: tampered.pdf: ") and err.count("\n") == 1


def test_the_cover_of_a_trial_signed_report_says_so(ws: Workspace, case: cb.Case, trial_cert: bytes,
                                                    tmp_path: Path) -> None:
    out = tmp_path / "trial.pdf"
    assert _report(ws, case, out) == 0
    cover = flat(pdf_pages(out)[0])
    assert ("Signed with a TRIAL self-signed certificate: the signature shows the file is unchanged since it was "
            "signed, not who issued it. Not for filing with law enforcement.") in cover
    assert "This report is signed (PAdES)" not in cover
    # the note is part of the signed bytes: the signature over the whole file validates
    check = sign.verify_pdf(out.read_bytes(), [trial_cert])
    assert check.intact and check.valid and check.covers_whole_file and check.trial_certificate


def test_the_cover_of_a_report_signed_with_a_configured_certificate_has_no_trial_note(
        ws: Workspace, case: cb.Case, trial_cert: bytes, unit_cert: UnitCert, tmp_path: Path) -> None:
    out = tmp_path / "unit.pdf"
    assert _report(ws, case, out) == 0  # the environment's certificate comes before the trial one
    text = flat("\n".join(pdf_pages(out)))
    assert "This report is signed (PAdES); see the methodology appendix for how to check it." in flat(
        pdf_pages(out)[0])
    assert "TRIAL" not in text and "Not for filing with law enforcement" not in text
    check = sign.verify_pdf(out.read_bytes(), [unit_cert.ca_pem])
    assert check.intact and check.trusted and not check.trial_certificate
    assert "Unit 7 evidence signer" in check.signer


def test_claim_without_findings_still_reports_what_is_known(ws: Workspace, case: cb.Case, tmp_path: Path) -> None:
    with ws.db.write() as con:
        claim_id = int(con.execute(
            "INSERT INTO claims (user_id, exchange, account, claimed_loss_usd, status, created_at, updated_at)"
            " VALUES (1, 'okx', 'ghost', 1000, 'submitted', now(), now()) RETURNING id").fetchall()[0][0])
    out = tmp_path / "ghost.pdf"
    assert main(["--db", str(ws.settings.db_path), "report", "claim", str(claim_id), "--out", str(out),
                 "--unsigned"]) == 0
    text = flat("\n".join(pdf_pages(out)))
    assert "No unauthorised trade was found for this account, so keytrace computes no loss." in text
    # the title page does not state as fact what the report found no trace of
    assert "Claimed unauthorised trading on okx account ghost: none found" in text
    assert "Unauthorised trading on okx" not in text
    assert "Claim status Submitted" in text and "Loss stated by the claimant (USD) 1,000.00" in text
    assert "No key of this account was found in an imported leak." in text
    assert "NO_ACCOUNT_TRACE" in text
    # the incident's traces are shown, marked as the incident's and not this account's
    assert "follow the incident's proceeds as a whole" in text and cb.CEX_BINANCE in text


def test_a_trace_from_the_claimants_own_wallet_is_the_claims_fund_flow(ws: Workspace, case: cb.Case,
                                                                        tmp_path: Path) -> None:
    tx = "0x" + "77" * 32
    with ws.db.write() as con:
        con.execute("INSERT INTO trace_runs VALUES ('trace-v', now(), 'haircut', 'forward', 2, ?, 1, 1)",
                    [json.dumps([cb.VICTIM_WALLET])]).fetchall()
        con.execute("INSERT INTO trace_edges (trace_id, hop, chain_id, tx_hash, log_index, token, from_address,"
                    " to_address, time_utc, block_number, value, tainted, origin_is_seed) VALUES"
                    " ('trace-v', 1, 1, ?, 0, ?, ?, ?, now(), 17000000, '5000000', 5000000, true)",
                    [tx, cb.USDT, cb.VICTIM_WALLET, cb.CEX_BINANCE]).fetchall()
        con.execute("INSERT INTO trace_cash_out_points VALUES ('trace-v', ?, 'Binance', 'exchange', ?, 5000000,"
                    " now(), now(), 1)", [cb.CEX_BINANCE, cb.USDT]).fetchall()
    out = tmp_path / "own.pdf"
    assert _report(ws, case, out, "--unsigned") == 0
    text = flat("\n".join(pdf_pages(out)))
    assert tx in text and cb.TX_SEED not in text
    assert "incident's proceeds as a whole" not in text
    assert "fund flow, 1 traced transfers; 1 cash-out points" in text


def test_an_unauthorised_trade_with_a_negative_loss_is_explained(ws: Workspace, case: cb.Case, tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.pdf"
    assert _report(ws, case, out, "--unsigned") == 0
    assert "show a negative loss" not in flat(" ".join(pdf_pages(out)))
    with ws.db.write() as con:  # the sell that funded the pump fetched more than its fair value
        con.execute("UPDATE unauthorized_trades SET loss_usd = -12.5 WHERE source_row = "
                    "(SELECT min(source_row) FROM unauthorized_trades)")
    assert _report(ws, case, out, "--unsigned") == 0
    capsys.readouterr()
    text = flat(" ".join(pdf_pages(out)))
    assert ("1 of them show a negative loss: they received more than their fair value (typically the sells that "
            "funded the pump, at or above the pre-attack price)") in text


def test_a_wallet_signature_linked_to_nothing_is_graded_and_reported_as_such(ws: Workspace, case: cb.Case,
                                                                             tmp_path: Path) -> None:
    """A made-up wallet that no deposit or withdrawal of the account names used to score WALLET_SIGNED 60
    and a signed 'No fraud signal'."""
    made_up = "0x" + "5e" * 20
    with ws.db.write() as con:
        claim_id = int(con.execute(
            "INSERT INTO claims (user_id, exchange, account, status, created_at, updated_at)"
            " VALUES (1, ?, ?, 'submitted', now(), now()) RETURNING id", [cb.EXCHANGE, "70007"]).fetchall()[0][0])
        con.execute("INSERT INTO accounts VALUES (?, '70007', 'r')", [cb.EXCHANGE]).fetchall()
        con.execute("INSERT INTO wallet_proofs VALUES (?, ?, 'n9', '0xsig', now())", [claim_id, made_up]).fetchall()
    out = tmp_path / "unlinked.pdf"
    assert main(["--db", str(ws.settings.db_path), "report", "claim", str(claim_id), "--out", str(out),
                 "--unsigned"]) == 0
    text = flat("\n".join(pdf_pages(out)))
    assert "Ownership evidence level: 15 of 100." in text
    assert f"WALLET_SIGNED_UNLINKED: the claimant signed with wallet {made_up}, which no deposit or withdrawal " \
           "of the account names" in text
    assert "WALLET_NOT_LINKED" in text and "so it does not tie the claimant to the account" in text
    assert "No fraud signal" not in text and "WALLET_SIGNED: " not in text
