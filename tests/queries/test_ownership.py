from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import duckdb
import pytest
from eth_account import Account
from eth_account.messages import encode_defunct

from core.errors import NotFound
from core.workspace import Workspace
from ingest.ownership import evidence_level, issue_challenge, verify_signature
from queries import claims
from queries.detect import detect
from queries.records import FraudSignal
from tests.queries.builders import EVIDENCE, Rows, ts

WALLET = Account.from_key("0x" + "11" * 32)
OTHER = Account.from_key("0x" + "22" * 32)


def fraud_signals(ws: Workspace, claim_id: int | None = None) -> list[FraudSignal]:
    with ws.db.read() as con:
        return claims.fraud_signals(con, claim_id)


def _user(con: object, uid: int) -> None:
    con.execute("INSERT INTO users (id, username, role, password_hash, created_at) VALUES (?, ?, 'victim', 'x', now())",  # type: ignore[attr-defined]
                [uid, f"user{uid}"])


def _claim(con: object, cid: int, uid: int, exchange: str, account: str, loss: str | None = None,
           key: str | None = None) -> None:
    con.execute("INSERT INTO claims (id, user_id, exchange, account, key_fingerprint, claimed_loss_usd, status,"  # type: ignore[attr-defined]
                " created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, 'submitted', now(), now())",
                [cid, uid, exchange, account, key, Decimal(loss) if loss else None])


def _sign(message: str, who: object = WALLET) -> str:
    return "0x" + who.sign_message(encode_defunct(text=message)).signature.hex()  # type: ignore[attr-defined]


@pytest.fixture
def claimed(incident: Workspace) -> Workspace:
    with incident.db.write() as con:
        for uid in (1, 2, 3):
            _user(con, uid)
        _claim(con, 1, 1, "kucoin", "v1", "2800")
        _claim(con, 2, 2, "binance", "v2", "5000")        # computed 320.36: inflated
        _claim(con, 3, 3, "kucoin", "v1", "2800")         # a second person claims v1
        _claim(con, 4, 3, "okx", "ghost", "1000")         # no trace of this account
    return incident


def test_signature_accepted_once(claimed: Workspace) -> None:
    ch = issue_challenge(claimed, 1, WALLET.address)
    assert "claim 1" in ch.message and WALLET.address.lower() in ch.message and ch.nonce in ch.message
    assert ch.expires_at - ch.issued_at == timedelta(minutes=30)
    sig = _sign(ch.message)
    ok = verify_signature(claimed, ch.nonce, sig)
    assert ok.ok and ok.recovered == WALLET.address.lower()
    replay = verify_signature(claimed, ch.nonce, sig)
    assert not replay.ok and "already used" in replay.reason
    with claimed.db.read() as con:
        proofs = con.execute("SELECT claim_id, address FROM wallet_proofs").fetchall()
        actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
    assert proofs == [(1, WALLET.address.lower())]
    assert actions.count("wallet.verify") == 2


def test_expired_and_wrong_signer_refused(claimed: Workspace) -> None:
    ch = issue_challenge(claimed, 1, WALLET.address, ttl_minutes=5)
    late = verify_signature(claimed, ch.nonce, _sign(ch.message), now=ch.expires_at + timedelta(seconds=1))
    assert not late.ok and "expired" in late.reason
    ch2 = issue_challenge(claimed, 1, WALLET.address)
    wrong = verify_signature(claimed, ch2.nonce, _sign(ch2.message, OTHER))
    assert not wrong.ok and "different wallet" in wrong.reason
    ch3 = issue_challenge(claimed, 1, WALLET.address)
    garbage = verify_signature(claimed, ch3.nonce, "0x1234")
    assert not garbage.ok and "not a valid" in garbage.reason
    with claimed.db.read() as con:
        assert con.execute("SELECT count(*) FROM wallet_proofs").fetchall()[0][0] == 0
    with pytest.raises(NotFound):
        verify_signature(claimed, "no-such-nonce", "0x00")
    with pytest.raises(NotFound):
        issue_challenge(claimed, 99, WALLET.address)


def _withdrawal_to(con: duckdb.DuckDBPyConnection, wallet: str) -> None:
    """A withdrawal of kucoin:v1 (in the claim's export) that the chain shows paying ``wallet``."""
    Rows(con).movement("kucoin", "v1", ts("2022-11-01 10:00:00"), "withdrawal", "USDT", "-100")
    con.execute("UPDATE ledger_movements SET tx_hash = '0xABC' WHERE account = 'v1'")
    con.execute("INSERT INTO transfers VALUES (1, 5, '0xb', ?, '0xabc', 0, NULL, 'erc20', '0xt', '0x" + "1" * 40
                + "', ?, '100000000', 100000000, 'test', NULL, NULL, 'run')", [ts("2022-11-01 10:05:00"), wallet])


def test_evidence_levels(claimed: Workspace) -> None:
    assert evidence_level(claimed, 4).level == 0
    assert evidence_level(claimed, 1).level == 10
    with claimed.db.write() as con:
        con.execute("INSERT INTO claim_evidence (claim_id, evidence_sha256, attached_at) VALUES (1, ?, now())",
                    [EVIDENCE])
        # stored under v1 because the claimant said so (--account): proves nothing about the account
        con.execute("INSERT INTO ingest_runs (run_id, started_at, actor, evidence_sha256, source_name, format, "
                    "exchange, account, account_from_file, status) VALUES ('r1', now(), 'user:1:victim', ?, "
                    "'export.csv', 'kucoin_x', 'kucoin', 'v1', false, 'committed')", [EVIDENCE])
    assert evidence_level(claimed, 1).level == 10
    with claimed.db.write() as con:  # the export's own rows name v1
        con.execute("UPDATE ingest_runs SET account_from_file = true WHERE run_id = 'r1'")
    assert evidence_level(claimed, 1).level == 40
    ch = issue_challenge(claimed, 1, WALLET.address)
    assert verify_signature(claimed, ch.nonce, _sign(ch.message)).ok
    # a signature alone: no deposit or withdrawal of the account names the wallet, so it is graded as such
    unlinked = evidence_level(claimed, 1)
    assert [g.level for g in unlinked.grades] == [40, 15, 10, 0] and unlinked.level == 40
    assert unlinked.grades[1].reason == (f"WALLET_SIGNED_UNLINKED: the claimant signed with wallet "
                                         f"{WALLET.address.lower()}, which no deposit or withdrawal of the account "
                                         "names")
    assert [s.signal for s in fraud_signals(claimed, 1) if s.signal == "WALLET_NOT_LINKED"] == ["WALLET_NOT_LINKED"]
    with claimed.db.write() as con:
        _withdrawal_to(con, WALLET.address.lower())
    got = evidence_level(claimed, 1)
    assert got.level == 90
    assert [g.level for g in got.grades] == [90, 80, 60, 40, 10, 0]
    assert not [s for s in fraud_signals(claimed, 1) if s.signal == "WALLET_NOT_LINKED"]
    with claimed.db.read() as con:
        assert con.execute("SELECT max(level) FROM ownership_evidence WHERE claim_id = 1").fetchall()[0][0] == 90
    # the same withdrawal in a claimant's export without a UID: anyone could write it, paying their own wallet
    with claimed.db.write() as con:
        con.execute("UPDATE ingest_runs SET account_from_file = false WHERE run_id = 'r1'")
    assert [g.level for g in evidence_level(claimed, 1).grades] == [15, 10, 0]


def test_a_loss_is_judged_inflated_only_against_a_computed_one(claimed: Workspace) -> None:
    with claimed.db.write() as con:  # the active trader's own trades: no unauthorised trade
        con.execute("UPDATE claims SET exchange = 'kucoin', account = 'active', claimed_loss_usd = 99999 WHERE id = 3")
    assert not [s for s in fraud_signals(claimed, 3) if s.signal == "LOSS_INFLATED"]  # nothing computed yet
    detect(claimed)
    with claimed.db.read() as con:
        assert con.execute("SELECT count(*) FROM account_losses WHERE account = 'active'").fetchall() == [(0,)]
    [inflated] = [s for s in fraud_signals(claimed, 3) if s.signal == "LOSS_INFLATED"]
    assert inflated.detail == ("claimed 99999.00 USD, but detection found no unauthorised trade in this "
                               "account's trades")


def test_fraud_signals(claimed: Workspace) -> None:
    detect(claimed)
    got = {(s.claim_id, s.signal) for s in fraud_signals(claimed)}
    assert got == {(1, "SHARED_UID"), (3, "SHARED_UID"), (2, "LOSS_INFLATED"), (4, "NO_ACCOUNT_TRACE")}
    # the same key and the same wallet in two people's claims
    with claimed.db.write() as con:
        con.execute("UPDATE claims SET key_fingerprint = 'f' WHERE id IN (1, 2)")
    for cid in (1, 2):
        ch = issue_challenge(claimed, cid, WALLET.address)
        assert verify_signature(claimed, ch.nonce, _sign(ch.message)).ok
    two = {s.signal for s in fraud_signals(claimed, 2)}
    assert two == {"LOSS_INFLATED", "SHARED_KEY", "SHARED_WALLET", "WALLET_NOT_LINKED"}
    # a claim close to the computed loss is not inflated
    assert not [s for s in fraud_signals(claimed, 1) if s.signal == "LOSS_INFLATED"]
