"""`keytrace demo --no-serve` through the real command line: builds a database the home page can show."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from app.demo.claims import NAMES_ACCOUNT
from app.views.home import holdings
from core.workspace import Workspace

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


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, Any]]:
    tmp = tmp_path_factory.mktemp("demo-cli")
    db = tmp / "demo" / "keytrace.duckdb"
    done = keytrace("--db", str(db), "demo", "--no-serve", "--seed", "5", "--accounts", "20", "--json", cwd=tmp)
    assert done.returncode == 0, done.stderr
    return db, json.loads(done.stdout)


def test_demo_builds_a_database_whose_home_page_shows_what_was_wired(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    figures = dict(holdings(str(db)))
    steps = {s["step"]: s for s in out["steps"]}
    assert steps["exchange exports"]["status"] in ("done", "partly built")
    assert figures["Evidence files"] > 20 and figures["Audit entries"] > 20
    for step, labels in FIGURES.items():
        if steps[step]["status"] != "not built yet":
            for label in labels:
                assert figures[label] > 0, (step, label)
    assert out["holdings"] == figures
    # what the build says it loaded is what the database holds
    assert figures["Leaked key fingerprints"] == steps["leaked-key dump"]["rows"]
    assert figures["Claims"] == steps["claims"]["rows"]
    # every step that is missing says so by name
    for s in out["steps"]:
        assert s["status"] in ("done", "partly built", "not built yet")
        if s["status"] != "done":
            assert s["missing"] and s["step"] in out["not_built"]


def test_the_database_holds_the_generated_trades_and_no_secret(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    files = Path(out["out"])
    truth = (files / "ground_truth" / "trades.csv").read_text().splitlines()
    ws = Workspace.open(db)
    with ws.db.read() as con:
        n_trades = con.execute("SELECT count(*) FROM trades").fetchall()[0][0]
        accounts = {r[0] for r in con.execute("SELECT account FROM accounts").fetchall()}
    ingested_formats = {s["step"] for s in out["steps"] if s["status"] == "done"}
    if "exchange exports" in ingested_formats:
        assert n_trades == len(truth) - 1
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
    """Through the real pipeline the demo's campaigns and cash-out points are found (when those steps exist)."""
    db, out = built
    steps = {s["step"]: s for s in out["steps"]}
    files = Path(out["out"])
    truth = json.loads((files / "ground_truth" / "ground_truth.json").read_text())
    ws = Workspace.open(db)
    with ws.db.read() as con:
        if steps["detection"]["status"] == "done":
            flagged = {r[0] for r in con.execute("SELECT DISTINCT account FROM unauthorized_trades").fetchall()}
            victims = {a for c in truth["campaigns"] for a in c["accounts"]}
            assert flagged == victims
        if steps["fund-flow trace"]["status"] == "done":
            found = {r[0] for r in con.execute("SELECT DISTINCT address FROM trace_cash_out_points").fetchall()}
            assert {p["address"] for p in truth["cash_out_points"]} <= found


def test_claimants_evidence_levels_follow_what_they_proved(built: tuple[Path, dict[str, Any]]) -> None:
    db, out = built
    steps = {s["step"]: s for s in out["steps"]}
    if steps["ownership evidence"]["status"] != "done":
        pytest.skip("ownership grading is not built in this installation")
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
            assert 60 <= level[cid] < 80, c["ref"]   # a withdrawal history without a UID proves nothing
        elif formats & set(NAMES_ACCOUNT):
            assert level[cid] == 40, c["ref"]
        else:   # no upload, or a trade history without a UID: stored under the claim's UID, so not proof
            assert level[cid] < 40, c["ref"]
