"""A claimant's upload is checked against the claimed account before it becomes shared data: another
account's file, the same executions, a file naming another UID, or a contradicting period is held in the
claim with a fraud signal until staff decide; a wrong upload can be withdrawn; detection never crashes on
what the data holds."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from app import claim_findings, claims, uploads
from app.cli import main
from core.errors import DetectionError, EvidenceOfAnotherAccount, InputError
from core.workspace import Workspace
from ingest.api import ingest_file
from queries import runner
from queries.detect import detect
from tests.app.conftest import AppFor, People
from tests.app.test_pages import click, texts
from tests.ingest.test_reconcile_properties import (
    ACCOUNT,
    pumped_run,
    reference_bars,
    statement,
    trade_history,
)

OTHER = "50002"   # the UID a dishonest (or mistaken) claimant types


def _case(ws: Workspace, tmp_path: Path) -> Path:
    """Account 40001's Trade History (no UID in it), ingested by staff, with reference prices: a pump."""
    reference_bars(ws)
    path = tmp_path / "trade_history.csv"
    path.write_text(trade_history(pumped_run()))
    ingest_file(ws, path, exchange="binance", account=ACCOUNT)
    return path


def _claim(ws: Workspace, people: People, account: str = OTHER) -> int:
    return claims.file_claim(ws, people.victim, exchange="binance", account=account, contact_email="v@example.org",
                             claimed_loss_usd="1000")


def _count(ws: Workspace, sql: str) -> object:
    with ws.db.read() as con:
        return con.execute(sql).fetchall()


def test_another_accounts_file_is_held_with_a_fraud_signal_and_detection_completes(
        ws: Workspace, people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    source = _case(ws, tmp_path)
    cid = _claim(ws, people)
    copy = tmp_path / "my export.csv"
    copy.write_bytes(source.read_bytes())
    before = _count(ws, "SELECT count(*) FROM trades")
    held = uploads.attach_upload(ws, people.victim, cid, copy)
    assert held.state == "quarantined"
    assert [s for s, _d in held.signals] == ["UPLOAD_SAME_FILE_OTHER_ACCOUNT", "UPLOAD_SAME_EXECUTIONS"]
    assert f"already the evidence of binance:{ACCOUNT}" in held.message()
    # nothing of it reached shared data; the file is kept, hashed and encrypted, in the claim
    assert _count(ws, "SELECT count(*) FROM trades") == before
    assert _count(ws, f"SELECT count(*) FROM executions WHERE account = '{OTHER}'") == [(0,)]
    assert _count(ws, "SELECT state FROM claim_evidence") == [("quarantined",)]
    assert ws.settings.evidence_dir.joinpath(held.evidence_sha256[:2], f"{held.evidence_sha256}.ktev").is_file()
    signals = claim_findings.assessment(ws, people.investigator, cid).fraud_signals
    assert any(s == "UPLOAD_HELD" and "my export.csv" in d and f"binance:{ACCOUNT}" in d for s, d in ((x.signal, x.detail) for x in signals)), signals
    # the same executions in another file (oldest first, so another SHA-256) are caught as well
    reordered = tmp_path / "reordered.csv"
    lines = source.read_text().splitlines()
    reordered.write_text("\n".join([lines[0], *reversed(lines[1:])]) + "\n")
    again = uploads.attach_upload(ws, people.victim, cid, reordered)
    assert again.state == "quarantined" and [s for s, _d in again.signals] == ["UPLOAD_SAME_EXECUTIONS"]
    assert "7 of the file's 7 executions are already executions of binance:40001" in again.signals[0][1]
    # staff cannot accept a file that is another account's evidence: one sentence, nothing changes
    with pytest.raises(EvidenceOfAnotherAccount, match="one file cannot be the evidence of two accounts"):
        uploads.review_upload(ws, people.investigator, cid, held.evidence_sha256, accept=True)
    assert _count(ws, "SELECT count(*) FROM trades") == before
    # and the CLI refuses to file it under a second account
    code = main(["--db", str(ws.settings.db_path), "ingest", str(copy), "--exchange", "binance",
                 "--account", OTHER])
    assert code == 2 and "is already the evidence of binance:40001" in capsys.readouterr().err
    # detection runs through
    assert main(["--db", str(ws.settings.db_path), "detect"]) == 0
    out = capsys.readouterr().out
    assert "Scored 7 trades: 7 unauthorised in 1 accounts" in out and "left out" not in out


def test_a_disputed_file_in_two_accounts_leaves_one_out_and_detection_completes(
        ws: Workspace, people: People, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An older keytrace stored the same UID-less file under two accounts: detection used to stop on a
    duplicate key with a traceback. Now the later account is left out, with a sentence, and the rest runs."""
    source = _case(ws, tmp_path)
    ingest_file(ws, source, exchange="binance", account=OTHER, screen=lambda *_: [])  # the old behaviour
    assert _count(ws, "SELECT count(DISTINCT account) FROM executions") == [(2,)]
    assert main(["--db", str(ws.settings.db_path), "detect", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["unauthorized"] == 7 and summary["accounts"] == 1
    [reason] = summary["excluded"]
    assert reason.startswith(f"binance:{OTHER} was left out of detection: its trades come from trade_history.csv")
    assert f"filed under binance:{ACCOUNT} first" in reason
    assert _count(ws, "SELECT DISTINCT account FROM unauthorized_trades") == [(ACCOUNT,)]
    # the claimant of the left-out account is told, in words
    cid = _claim(ws, people)
    claims.set_status(ws, people.investigator, cid, "in_review")
    claims.set_status(ws, people.investigator, cid, "verified")
    said = claim_findings.detail(ws, people.victim, cid).explanation
    assert any("left this account out because its evidence is in dispute" in s for s in said), said


def test_a_failing_step_is_one_sentence_and_keeps_the_findings(ws: Workspace, tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    _case(ws, tmp_path)
    first = detect(ws)
    real = runner.load

    def broken(name: str) -> str:
        return "SELECT 1 / 0 AS boom, CAST('x' AS INTEGER) AS fails" if name == "detect/07_campaigns" else real(name)

    monkeypatch.setattr(runner, "load", broken)
    with pytest.raises(DetectionError, match=r"^detection stopped at step detect/07_campaigns \(queries/sql/detect/07_campaigns.sql\): "):
        detect(ws)
    assert main(["--db", str(ws.settings.db_path), "detect"]) == 1
    err = capsys.readouterr().err
    assert err.startswith("keytrace: detection stopped at step detect/07_campaigns") and err.count("\n") == 1
    assert "Traceback" not in err
    assert _count(ws, "SELECT count(*) FROM unauthorized_trades") == [(first.unauthorized,)]
    assert _count(ws, "SELECT count(*) FROM detection_runs") == [(1,)]


def test_a_file_naming_another_uid_is_held_not_refused(ws: Workspace, people: People, tmp_path: Path) -> None:
    reference_bars(ws)
    cid = _claim(ws, people)
    path = tmp_path / "statement.csv"
    path.write_text(statement(pumped_run(), "2023"))   # its User_ID column says 40001
    held = uploads.attach_upload(ws, people.victim, cid, path)
    assert held.state == "quarantined"
    assert held.signals == (("UPLOAD_NAMES_OTHER_ACCOUNT",
                             f"the file's own rows name binance account {ACCOUNT}, not the claimed {OTHER}"),)
    assert _count(ws, "SELECT count(*) FROM ledger_movements") == [(0,)]
    with pytest.raises(InputError, match=f"names binance account {ACCOUNT} in its own rows, so it cannot be "
                                         f"accepted as evidence of {OTHER}; reject it"):
        uploads.review_upload(ws, people.investigator, cid, held.evidence_sha256, accept=True)
    assert _count(ws, "SELECT state FROM claim_evidence") == [("quarantined",)]


def test_an_accepted_upload_sent_again_is_never_marked_held(ws: Workspace, people: People, tmp_path: Path) -> None:
    """The holder's own accepted file, later also uploaded in someone else's claim: sending it again to the
    holder's claim must not mark its stored rows as held."""
    source = _case(ws, tmp_path)
    mine = _claim(ws, people, account=ACCOUNT)
    theirs = claims.file_claim(ws, people.other_victim, exchange="binance", account=OTHER,
                               contact_email="o@example.org")
    assert uploads.attach_upload(ws, people.victim, mine, source).state == "accepted"
    assert uploads.attach_upload(ws, people.other_victim, theirs, source).state == "quarantined"
    with pytest.raises(InputError, match="is already attached to this claim"):
        uploads.attach_upload(ws, people.victim, mine, source)
    assert _count(ws, f"SELECT state FROM claim_evidence WHERE claim_id = {mine}") == [("accepted",)]


def test_a_contradicting_upload_is_held_until_staff_accept_it(ws: Workspace, people: People, tmp_path: Path) -> None:
    reference_bars(ws)
    cid = _claim(ws, people, account=ACCOUNT)
    run = pumped_run()
    own = tmp_path / "statement.csv"
    own.write_text(statement(run[:4], "2023"))     # names the account: accepted
    assert uploads.attach_upload(ws, people.victim, cid, own).state == "accepted"
    other = tmp_path / "trade_history.csv"
    shifted = [{**e, "quantity": e["quantity"] * 3, "quote_quantity": e["quote_quantity"] * 3} for e in run]
    other.write_text(trade_history(shifted))      # the same seconds, other quantities: someone else's trades
    held = uploads.attach_upload(ws, people.victim, cid, other)
    assert held.state == "quarantined" and [s for s, _d in held.signals] == ["UPLOAD_CONTRADICTS_ACCOUNT"]
    assert "0 executions are only in this file, 0 only in the other evidence, 4 in both with different " \
        "quantities and 0 in both alike" in held.signals[0][1], held.signals
    assert _count(ws, "SELECT count(*) FROM trades") == [(0,)]
    done = uploads.review_upload(ws, people.investigator, cid, held.evidence_sha256, accept=True)
    assert done.state == "accepted" and done.rows_added == 7
    assert _count(ws, "SELECT state FROM claim_evidence ORDER BY attached_at") == [("accepted",), ("accepted",)]
    signals = claim_findings.assessment(ws, people.investigator, cid).fraud_signals
    assert not [s for s in signals if s.signal == "UPLOAD_HELD"]
    # the two files disagree about four executions: stored as conflicts, and detection still runs through
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM execution_conflicts").fetchall()[0][0] >= 4
    assert detect(ws).trades_scored == 7
    # a rejection needs a reason the victim sees
    with pytest.raises(Exception, match="not held for review"):
        uploads.review_upload(ws, people.investigator, cid, held.evidence_sha256, accept=False, reason="no")


def test_a_victim_withdraws_a_wrong_upload_and_gets_a_receipt(ws: Workspace, people: People, app_for: AppFor,
                                                              tmp_path: Path) -> None:
    reference_bars(ws)
    cid = _claim(ws, people, account=ACCOUNT)
    path = tmp_path / "statement.csv"
    path.write_text(statement(pumped_run(), "2023"))
    up = uploads.attach_upload(ws, people.victim, cid, path)
    assert up.message().startswith(f"statement.csv: read 21 rows, 21 new, 0 already known (SHA-256 {up.evidence_sha256}")
    assert _count(ws, "SELECT count(*) FROM executions") == [(7,)]
    receipt = uploads.receipt(ws, people.victim, cid)
    assert f"SHA-256 {up.evidence_sha256}" in receipt and "Accepted: 21 rows read, 21 new, 0 already known" in receipt
    assert f"Claim:            {cid}" in receipt and "records the filing" in receipt

    at = app_for(people.victim, "views/my_claims.py")
    click(at, "Withdraw this upload")
    assert not at.exception
    assert any("was withdrawn (21 rows removed from the account)" in s.value.replace("\\", "") for s in at.success) \
        or "21 rows removed" in texts(at).replace("\\", "")
    assert _count(ws, "SELECT count(*) FROM ledger_movements") == [(0,)]
    assert _count(ws, "SELECT count(*) FROM executions") == [(0,)]
    assert _count(ws, "SELECT state FROM claim_evidence") == [("withdrawn",)]
    assert _count(ws, "SELECT status FROM ingest_runs") == [("withdrawn",)]
    assert _count(ws, "SELECT action FROM custody_log ORDER BY id DESC LIMIT 1") == [("withdrawn",)]
    assert ws.settings.evidence_dir.joinpath(up.evidence_sha256[:2], f"{up.evidence_sha256}.ktev").is_file()
    assert "Withdrawn" in uploads.receipt(ws, people.victim, cid)
    # uploaded again, it counts again
    assert uploads.attach_upload(ws, people.victim, cid, path).rows_added == 21
    assert _count(ws, "SELECT count(*) FROM executions") == [(7,)]
    assert _count(ws, "SELECT state FROM claim_evidence") == [("accepted",)]


def test_the_queue_shows_a_held_upload_and_staff_decide_there(ws: Workspace, people: People, app_for: AppFor,
                                                              tmp_path: Path) -> None:
    source = _case(ws, tmp_path)
    cid = _claim(ws, people)
    held = uploads.attach_upload(ws, people.victim, cid, source)
    victim = app_for(people.victim, "views/my_claims.py")
    shown = texts(victim).replace("\\", "")
    assert "trade_history.csv is held for review: the same file" in shown
    at = app_for(people.investigator, "views/claims_queue.py", query={"claim": str(cid)})
    assert not at.exception
    warned = [w.value.replace("\\", "") for w in at.warning]
    assert any(w.startswith("UPLOAD_HELD: trade_history.csv") for w in warned), warned
    assert any(w.startswith("UPLOAD_SAME_FILE_OTHER_ACCOUNT: the same file") for w in warned), warned
    at.text_input(key=f"q_review_reason_{held.evidence_sha256[:16]}").input("this is account 40001's file")
    at.run()
    at.button(key=f"q_reject_{held.evidence_sha256[:16]}").click().run()
    assert not at.exception
    assert _count(ws, "SELECT state FROM claim_evidence") == [("rejected",)]
    victim = app_for(people.victim, "views/my_claims.py")
    assert any("was not accepted: this is account 40001's file" in e.value.replace("\\", "") for e in victim.error)


def test_staff_review_a_held_upload_from_the_command_line(ws: Workspace, people: People, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    source = _case(ws, tmp_path)
    cid = _claim(ws, people)
    held = uploads.attach_upload(ws, people.victim, cid, source)
    db = str(ws.settings.db_path)
    assert main(["--db", db, "claims", "show", str(cid), "--json"]) == 0
    [shown] = json.loads(capsys.readouterr().out)["uploads"]
    assert shown["state"] == "quarantined" and shown["sha256"] == held.evidence_sha256
    assert [s["signal"] for s in shown["signals"]] == ["UPLOAD_SAME_FILE_OTHER_ACCOUNT", "UPLOAD_SAME_EXECUTIONS"]
    assert main(["--db", db, "claims", "review", str(cid), held.evidence_sha256, "--reject"]) == 1
    assert capsys.readouterr().err == "keytrace: a rejected upload needs a reason, which the victim will see\n"
    assert main(["--db", db, "claims", "review", str(cid), held.evidence_sha256, "--reject",
                 "--reason", "account 40001's file"]) == 0
    assert "was rejected; it stays in custody" in capsys.readouterr().out
    assert main(["--db", db, "claims", "receipt", str(cid)]) == 0
    receipt = capsys.readouterr().out
    assert f"SHA-256 {held.evidence_sha256}" in receipt and "Rejected by staff" in receipt
