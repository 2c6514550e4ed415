"""Overlapping exports add only what is new; identical fills are counted, not dropped; every row keeps its
provenance and every ingest is in the audit trail."""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

import pytest

from core import audit
from core.errors import EvidenceOfAnotherAccount
from core.workspace import Workspace
from ingest import load
from ingest.api import ingest_file
from tests.ingest.helpers import table

HEADER = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
X = "2024-05-16 12:57:55,BTCUSDT,BUY,60000,0.001BTC,60USDT,0.00001BNB\n"
Y = "2024-05-16 12:57:56,ETHUSDT,SELL,3000,0.1ETH,300USDT,0.0001BNB\n"
Z = "2024-05-16 12:58:00,1INCHUSDT,BUY,0.5,100.0001INCH,50.0000USDT,0.11INCH\n"


def test_overlapping_exports_add_only_new_fills(ws: Workspace, tmp_path: Path) -> None:
    first = tmp_path / "may-part1.csv"
    first.write_text(HEADER + X + X + Y)
    second = tmp_path / "may-part2.csv"
    second.write_text(HEADER + Y + X + X + X + Z)          # newest export: one more identical X and a new Z
    a = ingest_file(ws, first, account="u1")
    b = ingest_file(ws, second, account="u1")
    assert (a.rows_added, b.rows_read, b.rows_added, b.rows_already_known) == (3, 5, 2, 3)
    t = table(ws, "trades", "time_utc, occurrence")
    assert [(r["pair"], r["occurrence"]) for r in t] == [("BTC/USDT", 1), ("BTC/USDT", 2), ("BTC/USDT", 3),
                                                         ("ETH/USDT", 1), ("1INCH/USDT", 1)]
    # the third X and Z come from the second file, with their own rows and run
    assert [(r["evidence_sha256"] == b.evidence_sha256, r["source_row"], r["ingest_run_id"] == b.run_id)
            for r in t if r["occurrence"] == 3 or r["pair"] == "1INCH/USDT"] == [(True, 4, True), (True, 5, True)]
    # another account's identical fills (in its own export) are its own
    theirs = tmp_path / "u2-may.csv"
    theirs.write_text(HEADER + Y + X + X)
    c = ingest_file(ws, theirs, account="u2")
    assert c.rows_added == 3
    # but the very file u1 holds, which names no account, cannot become u2's evidence too
    with pytest.raises(EvidenceOfAnotherAccount, match="is already the evidence of binance:u1"):
        ingest_file(ws, first, account="u2")


def test_runs_accounts_and_audit_trail(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "t.csv"
    f.write_text(HEADER + X + Y)
    r1 = ingest_file(ws, f, account="u1", actor="investigator:ana", case_id="case-7")
    r2 = ingest_file(ws, f, account="u1", actor="investigator:ana")
    runs = table(ws, "ingest_runs", "started_at")
    assert [(r["run_id"], r["status"], r["rows_read"], r["rows_added"], r["format"], r["account"]) for r in runs] == [
        (r1.run_id, "committed", 2, 2, "binance_trade_history", "u1"),
        (r2.run_id, "no_change", 2, 0, "binance_trade_history", "u1")]
    assert table(ws, "accounts", "account") == [{"exchange": "binance", "account": "u1", "first_seen_run": r1.run_id}]
    [ev] = table(ws, "evidence_files", "sha256")
    assert (ev["sha256"], ev["kind"], ev["case_id"], ev["original_name"]) == (r1.evidence_sha256, "exchange_export",
                                                                              "case-7", "t.csv")
    with ws.db.read() as con:
        assert audit.verify(con, ws.keys, ws.settings) >= 2
        entries = con.execute("SELECT actor, action, object, details FROM audit_log WHERE action = 'ingest' "
                              "ORDER BY seq").fetchall()
    assert [(e[0], e[1], e[2]) for e in entries] == [("investigator:ana", "ingest", f"evidence:{r1.evidence_sha256}")] * 2
    assert '"rows_added":2' in entries[0][3] and "u1" not in entries[0][3]   # no account ids in the plaintext trail


def test_staging_runs_without_the_write_lock(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing and validation happen before the write lock is taken: another writer is not kept waiting."""
    seen: list[bool] = []
    real_stage = load.stage

    def stage_and_probe(*args: object, **kwargs: object) -> load.Staged:
        staged = real_stage(*args, **kwargs)  # type: ignore[arg-type]
        fd = os.open(ws.settings.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)   # would raise if ingest held the lock
            seen.append(True)
        finally:
            os.close(fd)
        return staged

    monkeypatch.setattr(load, "stage", stage_and_probe)
    f = tmp_path / "t.csv"
    f.write_text(HEADER + X)
    assert ingest_file(ws, f, account="u1").rows_added == 1
    assert seen == [True]
