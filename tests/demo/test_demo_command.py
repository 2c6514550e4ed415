"""`keytrace demo --no-serve` through the real command line: builds a database the home page can show."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from app.analysis import holdings
from core.workspace import Workspace
from incident_demo.claims import NAMES_ACCOUNT

# which home-page figure each build step fills, when that step is built in this installation
FIGURES = {
    "exchange exports": ["Accounts under investigation", "Trades", "Ledger movements"],
    "reference klines": ["Reference price bars"],
    "leaked-key dump": ["Leaked key fingerprints"],
    "on-chain transfers": ["On-chain transfers"],
    "claims": ["Claims"],
}


def keytrace(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYTRACE_")}
    return subprocess.run([sys.executable, "-m", "app.cli", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600, check=False)


def test_demo_builds_a_database_whose_home_page_shows_what_was_wired(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    figures = dict(holdings(str(db)))
    steps = {s["step"]: s for s in out["steps"]}
    assert set(steps) == {"exchange exports", "3Commas deal logs", "reference klines",
                          "API-key records (apiRestrictions)", "leaked-key dump", "on-chain transfers",
                          "address labels", "claims", "detection", "fund-flow trace", "ownership evidence"}
    assert figures["Evidence files"] > 20 and figures["Audit entries"] > 20
    for step, labels in FIGURES.items():
        assert steps[step]["files"] > 0, step
        for label in labels:
            assert figures[label] > 0, (step, label)
    assert out["holdings"] == figures
    # what the build says it loaded is what the database holds
    assert figures["Leaked key fingerprints"] == steps["leaked-key dump"]["rows"]
    assert figures["Claims"] == steps["claims"]["rows"]


def test_the_database_holds_the_generated_trades_and_no_secret(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    files = Path(out["out"])
    truth = (files / "ground_truth" / "trades.csv").read_text().splitlines()
    ws = Workspace.open(db)
    with ws.db.read() as con:
        n_trades = con.execute("SELECT count(*) FROM trades").fetchall()[0][0]
        accounts = {r[0] for r in con.execute("SELECT account FROM accounts").fetchall()}
        n_executions = con.execute("SELECT count(*) FROM executions").fetchall()[0][0]
    # the ground truth lists executions; the victims whose only record is a statement or Filled Orders
    # have none in trades
    assert n_executions == len(truth) - 1
    assert 0 < n_trades < n_executions
    gt_accounts = {line.split(",")[1] for line in (files / "ground_truth" / "accounts.csv").read_text().splitlines()[1:]}
    assert accounts <= gt_accounts and accounts
    # the dump's secrets and passphrases reach neither the database nor the evidence folder
    dump = (files / "leaks" / "3commas_api_keys_2022-12-28.csv").read_text().splitlines()[1:]
    secrets = [line.split(",")[2] for line in dump[:200]]
    blobs = [db.read_bytes()] + [p.read_bytes() for p in db.with_name(db.name + ".evidence").rglob("*") if p.is_file()]
    for secret in secrets:
        assert not any(secret.encode() in b for b in blobs)


def test_a_database_holding_other_data_is_refused(built: tuple[Path, dict[str, Any]], tmp_path: Path) -> None:
    db, _ = built
    other = tmp_path / "case.duckdb"
    init = keytrace("--db", str(other), "init", cwd=tmp_path)
    assert init.returncode == 0, init.stderr
    case_file = tmp_path / "note.csv"
    case_file.write_text("x\n")
    ws = Workspace.open(other)
    from core import evidence

    with ws.db.write() as con:
        evidence.store(ws, con, case_file, kind="exchange_export", submitted_by="t")
    refused = keytrace("--db", str(other), "demo", "--no-serve", "--accounts", "20", cwd=tmp_path)
    assert refused.returncode == 1
    assert "holds data that no demo build put there" in refused.stderr
    assert dict(holdings(str(other)))["Evidence files"] == 1


def test_no_personal_datum_of_the_demo_is_stored_in_plaintext(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    claims = json.loads((Path(out["out"]) / "claims" / "claims.json").read_text())["claims"]
    data = [c[k] for c in claims for k in ("contact_name", "contact_email", "contact_phone", "statement", "password")]
    data += [c["statement"][:40] for c in claims]
    assert len(data) > 20
    stored = [p for p in db.parent.rglob("*") if p.is_file() and p.name.startswith(db.name)]
    stored += [p for p in db.with_name(db.name + ".evidence").rglob("*") if p.is_file()]
    blobs = [p.read_bytes() for p in stored]
    assert any(len(b) > 100_000 for b in blobs)
    for datum in data:
        for encoded in {datum.encode(), datum.encode("utf-16-le")}:
            assert not any(encoded in b for b in blobs), datum


def test_detection_and_tracing_meet_the_ground_truth(built: tuple[Path, dict[str, Any]]) -> None:
    """Through the real pipeline the demo's campaigns and cash-out points are found."""
    db, out = built
    files = Path(out["out"])
    truth = json.loads((files / "ground_truth" / "ground_truth.json").read_text())
    ws = Workspace.open(db)
    with ws.db.read() as con:
        flagged = {r[0] for r in con.execute("SELECT DISTINCT account FROM unauthorized_trades").fetchall()}
        victims = {a for c in truth["campaigns"] for a in c["accounts"]}
        assert flagged == victims
        found = {r[0] for r in con.execute("SELECT DISTINCT address FROM trace_cash_out_points").fetchall()}
        assert {p["address"] for p in truth["cash_out_points"]} <= found


def test_claimants_evidence_levels_follow_what_they_proved(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    claims = json.loads((Path(out["out"]) / "claims" / "claims.json").read_text())["claims"]
    ws = Workspace.open(db)
    with ws.db.read() as con:
        ids = [r[0] for r in con.execute("SELECT id FROM claims ORDER BY id").fetchall()]
        level = {cid: con.execute("SELECT max(level) FROM ownership_evidence WHERE claim_id = ?", [cid]).fetchall()[0][0]
                 for cid in ids}
    manifest = json.loads((Path(out["out"]) / "manifest.json").read_text())["files"]
    format_of = {f["path"]: f["format"] for f in manifest}
    assert len(ids) == len(claims)
    assert 90 in level.values()   # seed 5 has claimants who sign and attach a withdrawal history with their UID
    assert any(c["uploads"] and not set(map(format_of.get, c["uploads"])) & set(NAMES_ACCOUNT) for c in claims)
    for cid, c in zip(ids, claims, strict=True):   # filed in the file's order
        formats = {format_of[u] for u in c["uploads"]}
        if c["signs_wallet"] and "kucoin_withdrawals" in formats:
            assert level[cid] == 90, c["ref"]
        elif c["signs_wallet"]:
            # a withdrawal history without a UID proves nothing, so the wallet is linked to nothing either
            assert 15 <= level[cid] < 80 and level[cid] != 60, c["ref"]
        elif formats & set(NAMES_ACCOUNT):
            assert level[cid] == 40, c["ref"]
        else:   # no upload, or a trade history without a UID: stored under the claim's UID, so not proof
            assert level[cid] < 40, c["ref"]


TRADE_FILES = {"binance_trade_history", "kucoin_trade_history_v3", "kucoin_order_splitting", "kucoin_api_fills"}


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def test_victims_whose_trades_a_statement_or_filled_orders_record_are_detected_and_counted_once(
        built: tuple[Path, dict[str, Any]]) -> None:
    """Statement-only, Filled-Orders-only and both-kinds victims: reconciliation finds each execution once."""
    db, out = built
    files = Path(out["out"])
    truth = {(a["exchange"], a["account"]): a for a in _csv_rows(files / "ground_truth" / "accounts.csv")}
    manifest = json.loads((files / "manifest.json").read_text())["files"]
    own: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for f in manifest:
        if f["load"] == "ingest":
            own.setdefault((f["exchange"], f["account"]), []).append(f)
    kinds: dict[str, list[tuple[str, str]]] = {}
    for key, a in truth.items():
        if a["role"] == "victim":
            kinds.setdefault(a["trade_evidence"], []).append(key)
    assert {"trades", "statement", "filled_orders", "both"} <= set(kinds)
    assert {ex for ex, _ in kinds["both"]} == {"binance", "kucoin"}
    for key in kinds["statement"]:
        formats = {f["format"] for f in own[key]}
        assert key[0] == "binance" and "binance_transaction_statement" in formats and not formats & TRADE_FILES
    for key in kinds["filled_orders"]:
        formats = {f["format"] for f in own[key]}
        assert key[0] == "kucoin" and "kucoin_filled_orders" in formats and not formats & TRADE_FILES
    for key in kinds["both"]:
        formats = {f["format"] for f in own[key]}
        assert formats & TRADE_FILES and formats & {"binance_transaction_statement", "kucoin_filled_orders"}
    # both statement styles, several fills in one second; Filled Orders of single and aggregated fills
    statements = [f for key in kinds["statement"] + kinds["both"] for f in own[key]
                  if f["format"] == "binance_transaction_statement"]
    assert {f["style"] for f in statements} == {"classic", "2023"}
    legs_per_second = Counter((f["path"], r["UTC_Time"]) for f in statements for r in _csv_rows(files / f["path"])
                              if r["Operation"] not in ("Deposit", "Withdraw"))
    assert max(legs_per_second.values()) > 3
    assert {f["rows_are"] for key in kinds["filled_orders"] for f in own[key]
            if f["format"] == "kucoin_filled_orders"} == {"fill", "order"}
    ws = Workspace.open(db)
    with ws.db.read() as con:
        executions = dict(((r[0], r[1]), r[2]) for r in con.execute(
            "SELECT exchange, account, count(*) FROM executions GROUP BY ALL").fetchall())
        flagged = dict(((r[0], r[1]), r[2]) for r in con.execute(
            "SELECT exchange, account, count(*) FROM unauthorized_trades GROUP BY ALL").fetchall())
        derived = dict(((r[0], r[1]), set(r[2])) for r in con.execute(
            "SELECT exchange, account, list(DISTINCT derived_from) FROM executions GROUP BY ALL").fetchall())
    for kind, expected in (("statement", {"ledger"}), ("filled_orders", {"order"}), ("both", {"fill"})):
        for key in kinds[kind]:
            assert executions.get(key) == int(truth[key]["trades"]), (kind, key)
            assert derived[key] == expected, (kind, key)
            if int(truth[key]["unauthorized_trades"]):
                assert flagged.get(key), (kind, key)
