from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from app import claim_findings, claims, uploads
from core import audit
from core.errors import (
    AccessDenied,
    EvidenceTamperedError,
    InputError,
    NotFound,
    SecretRefusedError,
    UsageError,
)
from core.fingerprint import api_key_fingerprint
from core.workspace import Workspace
from tests.app.conftest import People
from tests.conftest import FIXTURES

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
STATEMENT = "On Dec 25 at 22:29 all my BTC was sold and AKRO bought; I disabled the key next morning."
BINANCE_EXPORT = FIXTURES / "exchange_exports" / "binance_spot_trade_history_2018.csv"


def _file(ws: Workspace, people: People, **over: str) -> int:
    fields = {"exchange": "Binance", "account": "38811234", "api_key": API_KEY, "contact_name": "Vera Victim",
              "contact_email": "vera@example.org", "contact_phone": "+33 6 12 34 56 78",
              "statement": STATEMENT, "claimed_loss_usd": "312,000.50"}
    fields.update(over)
    return claims.file_claim(ws, people.victim, **fields)  # type: ignore[arg-type]


def _db_bytes(ws: Workspace) -> bytes:
    with ws.db.write() as con:
        con.execute("CHECKPOINT")
    data = ws.settings.db_path.read_bytes()
    wal = ws.settings.db_path.with_name(ws.settings.db_path.name + ".wal")
    return data + (wal.read_bytes() if wal.exists() else b"")


def test_a_filed_claim_keeps_only_the_key_fingerprint_and_sealed_personal_data(ws: Workspace,
                                                                             people: People) -> None:
    cid = _file(ws, people)
    c = claims.get_claim(ws, people.victim, cid)
    assert (c.exchange, c.account, c.status) == ("binance", "38811234", "submitted")
    assert c.key_fingerprint == api_key_fingerprint("binance", API_KEY)
    assert str(c.claimed_loss_usd) == "312000.50"
    assert (c.contact_email, c.statement) == ("vera@example.org", STATEMENT)
    raw = _db_bytes(ws)
    for secret_or_personal in (API_KEY, "vera@example.org", "Vera Victim", "AKRO bought", "+33 6 12"):
        assert secret_or_personal.encode() not in raw, secret_or_personal
    with ws.db.read() as con:
        entries = con.execute("SELECT action, object, details FROM audit_log WHERE action LIKE 'claim.%'").fetchall()
    assert entries[0][:2] == ("claim.filed", f"claim:{cid}")
    assert "vera" not in entries[0][2]


def test_a_secret_in_any_field_is_refused_and_nothing_is_written(ws: Workspace, people: People) -> None:
    with ws.db.read() as con:
        before = con.execute("SELECT count(*) FROM audit_log").fetchall()
    with pytest.raises(SecretRefusedError, match="what happened looks like a wallet seed phrase"):
        _file(ws, people, statement="my phrase: " + " ".join(["abandon"] * 11 + ["about"]))
    with pytest.raises(SecretRefusedError, match="API key \\(public part\\) looks like a private key"):
        _file(ws, people, api_key="0x" + "1f" * 32)
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(0,)]
        assert con.execute("SELECT count(*) FROM audit_log").fetchall() == before


def test_bad_input_is_one_sentence(ws: Workspace, people: People) -> None:
    with pytest.raises(InputError, match="exchange UID is required"):
        _file(ws, people, account="  ")
    with pytest.raises(InputError, match="is not an amount keytrace can read without guessing"):
        _file(ws, people, claimed_loss_usd="a lot")
    with pytest.raises(InputError, match="e-mail address or a phone number"):
        _file(ws, people, contact_email="", contact_phone="")


def test_a_victim_sees_only_their_own_claims(ws: Workspace, people: People) -> None:
    cid = _file(ws, people)
    other = people.other_victim
    assert claims.list_claims(ws, other) == []
    for call in (lambda: claims.get_claim(ws, other, cid), lambda: claims.history(ws, other, cid),
                 lambda: claims.dispute(ws, other, cid, "mine"), lambda: claim_findings.computed_loss(ws, other, cid)):
        with pytest.raises(NotFound, match=f"no claim {cid} that you can see"):
            call()
    assert [r["id"] for r in claims.list_claims(ws, people.investigator)] == [cid]


def test_the_workflow_with_roles_transitions_notes_and_audit(ws: Workspace, people: People) -> None:
    cid = _file(ws, people)
    inv, victim = people.investigator, people.victim
    with pytest.raises(AccessDenied):
        claims.set_status(ws, victim, cid, "verified")
    with pytest.raises(AccessDenied):
        claims.set_status(ws, people.legal, cid, "verified")
    with pytest.raises(InputError, match="submitted can only become: in review, rejected, closed"):
        claims.set_status(ws, inv, cid, "verified")
    claims.assign(ws, inv, cid, "ines")
    with pytest.raises(InputError, match="not an investigator"):
        claims.assign(ws, inv, cid, "vera")
    claims.set_status(ws, inv, cid, "in_review")
    claims.add_note(ws, inv, cid, "UID matches the export; key is in the 2022-12-28 dump")
    with pytest.raises(AccessDenied):
        claims.add_note(ws, victim, cid, "let me in")
    with pytest.raises(InputError, match="needs a reason"):
        claims.set_status(ws, inv, cid, "rejected")
    claims.set_status(ws, inv, cid, "rejected", "The export shows no trades in the attack window.")
    claims.dispute(ws, victim, cid, "The trades are in the second export I sent.")
    claims.set_status(ws, inv, cid, "in_review")
    claims.set_status(ws, inv, cid, "verified")

    mine = claims.history(ws, victim, cid)
    assert [s.status for s in mine.statuses] == ["submitted", "in_review", "rejected", "in_review", "verified"]
    assert mine.statuses[2].reason == "The export shows no trades in the attack window."
    assert mine.notes == []  # internal notes never reach the victim
    assert [d.text for d in mine.disputes] == ["The trades are in the second export I sent."]
    staff = claims.history(ws, inv, cid)
    assert [n.text for n in staff.notes] == ["UID matches the export; key is in the 2022-12-28 dump"]
    assert staff.notes[0].author == "ines"
    assert claims.get_claim(ws, inv, cid).assigned_username == "ines"
    with ws.db.read() as con:
        actions = [r[0] for r in con.execute(
            "SELECT action FROM audit_log WHERE object = ? ORDER BY seq", [f"claim:{cid}"]).fetchall()]
        details = " ".join(r[0] for r in con.execute("SELECT details FROM audit_log").fetchall())
        assert audit.verify(con, ws.keys, ws.settings) > 0
    assert actions == ["claim.filed", "claim.assigned", "claim.status_changed", "claim.note_added",
                       "claim.status_changed", "claim.disputed", "claim.status_changed", "claim.status_changed"]
    assert "attack window" not in details and "second export" not in details and "UID matches" not in details


def test_an_upload_goes_through_ingest_and_attaches_to_the_claim(ws: Workspace, people: People,
                                                                tmp_path: Path) -> None:
    cid = _file(ws, people)
    seen: list[tuple[float, str]] = []
    upload = tmp_path / "upload.csv"
    shutil.copy(BINANCE_EXPORT, upload)
    summary = uploads.attach_upload(ws, people.victim, cid, upload, original_name="Export Trade History.csv",
                                   progress=lambda f, t: seen.append((f, t)))
    assert summary.rows_added == 8 and summary.ingest is not None and summary.ingest["format"].startswith("binance")
    assert seen[-1] == (1.0, "Done") and [f for f, _ in seen] == sorted(f for f, _ in seen)
    c = claims.get_claim(ws, people.victim, cid)
    assert [e["original_name"] for e in c.evidence] == ["Export Trade History.csv"]
    with ws.db.read() as con:
        assert con.execute("SELECT count(*), min(account) FROM trades").fetchall() == [(8, "38811234")]
    # the same file again adds nothing and attaches once
    again = uploads.attach_upload(ws, people.victim, cid, upload)
    assert again.rows_added == 0
    assert len(claims.get_claim(ws, people.victim, cid).evidence) == 1
    with pytest.raises(NotFound):
        uploads.attach_upload(ws, people.other_victim, cid, upload)


def test_only_an_export_that_names_the_account_grades_ownership(ws: Workspace, people: People,
                                                                tmp_path: Path) -> None:
    """A Trade History has no UID: it is stored under the claim's UID, so it cannot show whose account it is."""
    from ingest.ownership import evidence_level

    cid = _file(ws, people, account="70001")
    uploads.attach_upload(ws, people.victim, cid, BINANCE_EXPORT)
    graded = evidence_level(ws, cid)
    assert graded.level == 10 and "UID_IN_OWN_EXPORT" not in " ".join(g.reason for g in graded.grades)
    with ws.db.read() as con:
        assert con.execute("SELECT account, account_from_file FROM ingest_runs").fetchall() == [("70001", False)]
    # the transaction statement's User_ID column names account 70001
    statement = tmp_path / "statement.csv"
    statement.write_text("User_ID,UTC_Time,Account,Operation,Coin,Change,Remark\n"
                         "70001,2021-01-14 19:22:05,Spot,Deposit,EUR,310.40,\n"
                         "70001,2021-01-15 08:00:00,Spot,Withdraw,BNB,-0.5,\n")
    uploads.attach_upload(ws, people.victim, cid, statement)
    graded = evidence_level(ws, cid)
    assert graded.level == 40 and graded.grades[0].reason.startswith("UID_IN_OWN_EXPORT")


def test_an_export_of_another_exchange_is_refused_and_nothing_attached(ws: Workspace, people: People) -> None:
    cid = _file(ws, people, exchange="kucoin")
    with pytest.raises(UsageError, match="is a binance export"):
        uploads.attach_upload(ws, people.victim, cid, BINANCE_EXPORT)
    assert claims.get_claim(ws, people.victim, cid).evidence == []


def test_a_claim_filed_while_another_process_writes_waits_and_is_kept(ws: Workspace, people: People) -> None:
    holding = threading.Event()

    def long_ingest() -> None:
        with ws.db.write() as con:
            con.execute("SELECT 1").fetchall()
            holding.set()
            time.sleep(1.5)

    t = threading.Thread(target=long_ingest)
    t.start()
    holding.wait(5)
    started = time.monotonic()
    cid = _file(ws, people)
    waited = time.monotonic() - started
    t.join()
    assert waited >= 1.0
    assert claims.get_claim(ws, people.victim, cid).status == "submitted"


def test_a_wallet_is_proven_by_signing_the_challenge_once(ws: Workspace, people: People) -> None:
    from eth_account import Account
    from eth_account.messages import encode_defunct

    cid = _file(ws, people)
    wallet = Account.from_key("0x" + "4c" * 32)
    ch = claims.wallet_challenge(ws, people.victim, cid, wallet.address)
    assert wallet.address.lower() in ch.message and str(cid) in ch.message
    with pytest.raises(NotFound):
        claims.wallet_challenge(ws, people.other_victim, cid, wallet.address)
    sig = wallet.sign_message(encode_defunct(text=ch.message)).signature.hex()
    with pytest.raises(NotFound):  # another victim cannot use the challenge of this claim
        claims.verify_wallet(ws, people.other_victim, cid, ch.nonce, sig)
    result = claims.verify_wallet(ws, people.victim, cid, ch.nonce, sig)
    assert result.ok and result.address == wallet.address.lower()
    assert [w["address"] for w in claims.get_claim(ws, people.investigator, cid).wallets] == [wallet.address.lower()]
    replay = claims.verify_wallet(ws, people.victim, cid, ch.nonce, sig)
    assert not replay.ok and "already used" in replay.reason
    other = Account.from_key("0x" + "5d" * 32)
    ch2 = claims.wallet_challenge(ws, people.victim, cid, wallet.address)
    wrong = claims.verify_wallet(ws, people.victim, cid, ch2.nonce,
                                 other.sign_message(encode_defunct(text=ch2.message)).signature.hex())
    assert not wrong.ok and "different wallet" in wrong.reason


def test_staff_read_a_claim_upload_verified_and_in_custody_and_victims_may_not(ws: Workspace,
                                                                              people: People) -> None:
    cid = _file(ws, people)
    sha = uploads.attach_upload(ws, people.victim, cid, BINANCE_EXPORT).evidence_sha256
    name, data = uploads.upload_content(ws, people.legal, cid, sha)
    assert (name, data) == (BINANCE_EXPORT.name, BINANCE_EXPORT.read_bytes())
    with ws.db.read() as con:
        last = con.execute("SELECT sha256, actor, action FROM custody_log ORDER BY id DESC LIMIT 1").fetchall()
    assert last == [(sha, "user:4:lena", "read")]
    with pytest.raises(AccessDenied):
        uploads.upload_content(ws, people.victim, cid, sha)
    other = _file(ws, people, account="99")
    with pytest.raises(NotFound, match=f"claim {other} has no upload with that SHA-256"):
        uploads.upload_content(ws, people.investigator, other, sha)   # the file belongs to another claim
    stored = next(ws.settings.evidence_dir.rglob(f"{sha}.ktev"))
    raw = bytearray(stored.read_bytes())
    raw[-5] ^= 1
    stored.write_bytes(bytes(raw))
    with pytest.raises(EvidenceTamperedError):
        uploads.upload_content(ws, people.investigator, cid, sha)
    with ws.db.read() as con:
        last = con.execute("SELECT actor, action FROM custody_log ORDER BY id DESC LIMIT 1").fetchall()
    assert last == [("user:3:ines", "tamper_detected")]


@pytest.mark.parametrize("exchange, said", [
    ("4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318", "exchange is longer than 40"),
    ("bin\u202eecnan", "text-direction characters"),
    ("kraken\x00\x1b[31m", "control or text-direction characters"),
    ("x" * 41, "longer than 40 characters"),
    ("kraken; DROP", "only letters, digits, spaces, dots and dashes"),
])
def test_the_exchange_name_is_checked_like_every_field(ws: Workspace, people: People, exchange: str,
                                                      said: str) -> None:
    with pytest.raises(InputError, match=said):
        _file(ws, people, exchange=exchange)
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(0,)]
    assert exchange.encode()[:20] not in _db_bytes(ws)


def test_an_upload_named_like_a_secret_is_refused(ws: Workspace, people: People, tmp_path: Path) -> None:
    cid = _file(ws, people)
    key = "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318"
    with pytest.raises(SecretRefusedError):
        uploads.attach_upload(ws, people.victim, cid, BINANCE_EXPORT, original_name=f"{key}.csv")
    assert key.encode() not in _db_bytes(ws)
