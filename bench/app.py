"""Benchmark: how long the investigators' dashboard takes to render on a large case database.

It builds the synthetic exchange of bench/detect.py (accounts trading 200 pairs for 30 days, 0.1% of
accounts pumped), runs the real detection (`queries.detect.detect`) so the analysis tables hold what
they would in a case, adds an investigator and a few hundred claims, then renders pages with
Streamlit's AppTest (the page script exactly as the server runs it, logged in with a real session):
the first load, then the median of further loads. Limit (issue 6): the dashboard (incident overview)
renders in at most 2 s after the first load, on a database with 10M trades.

Usage: nice -n 10 uv run python bench/app.py [--trades 10000000] [--accounts 100000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import load_settings  # noqa: E402
from core.workspace import Workspace  # noqa: E402

LIMIT_SECONDS = 2.0
PASSWORD = "bench investigator password"  # noqa: S105 - a throwaway account in a temporary database
PAGES = [("views/overview.py", "Incident overview (dashboard)"), ("views/claims_queue.py", "Claims queue"),
         ("views/account.py", "Account view"), ("views/campaigns.py", "Campaign timeline")]


def _detect_bench() -> object:
    spec = importlib.util.spec_from_file_location("bench_detect", ROOT / "bench" / "detect.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def build(db: Path, trades: int, accounts: int, claims_count: int) -> dict[str, float]:
    from app import auth, claims
    from queries.detect import detect

    times: dict[str, float] = {}
    t0 = time.perf_counter()
    _detect_bench().build(db, trades, accounts)  # type: ignore[attr-defined]
    times["build"] = time.perf_counter() - t0
    ws = Workspace(load_settings(db, env={}))
    t0 = time.perf_counter()
    detect(ws, actor="bench")
    times["detect"] = time.perf_counter() - t0
    auth.create_user(ws, None, username="bench-investigator", password=PASSWORD, role="investigator")
    victim = auth.register_victim(ws, username="bench-victim", password=PASSWORD)
    t0 = time.perf_counter()
    for i in range(claims_count):
        claims.file_claim(ws, victim, exchange="binance", account=f"acct{i * 1000}",
                          contact_email=f"victim{i}@example.org", statement="my balance was pumped into a thin coin",
                          claimed_loss_usd=str(1000 + i))
    times["claims"] = time.perf_counter() - t0
    return times


def render_times(db: Path, page: str, repeat: int) -> tuple[float, list[float]]:
    from streamlit.testing.v1 import AppTest

    from app import auth

    ws = Workspace(load_settings(db, env={}))
    _, token = auth.login(ws, "bench-investigator", PASSWORD)
    at = AppTest.from_file(str(ROOT / "app" / "streamlit_app.py"), default_timeout=600)
    at.session_state["kt_token"] = token
    t0 = time.perf_counter()
    at.run()
    if page != "views/overview.py":
        at.switch_page(page)
        t0 = time.perf_counter()
        at.run()
    first = time.perf_counter() - t0
    if at.exception:
        raise SystemExit(f"{page} failed: {at.exception[0].value}")
    later = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        at.run()
        later.append(time.perf_counter() - t0)
    return first, later


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--trades", type=int, default=10_000_000)
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--claims", type=int, default=200)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--keep", type=Path, default=None, metavar="DIR",
                    help="build the database in DIR and keep it; a later run with the same DIR only measures")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="kt-bench-app-") as tmp:
        folder = args.keep or Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "bench.duckdb"
        os.environ["KEYTRACE_DB"] = str(db)
        for var in ("KEYTRACE_SECRET_KEY", "KEYTRACE_KEY_FILE", "KEYTRACE_EVIDENCE_DIR", "KEYTRACE_CONFIG"):
            os.environ.pop(var, None)
        if not (folder / "built").exists():
            times = build(db, args.trades, args.accounts, args.claims)
            (folder / "built").write_text(f"{args.trades} {args.accounts} {args.claims}\n")
            print(f"built in {times['build']:.1f} s, detection {times['detect']:.1f} s, "
                  f"{args.claims} claims filed in {times['claims']:.1f} s")
        ws = Workspace(load_settings(db, env={}))
        with ws.db.read() as con:
            trades, accounts, claims_n, flagged = con.execute(
                "SELECT (SELECT count(*) FROM trades), (SELECT count(*) FROM accounts), "
                "(SELECT count(*) FROM claims), (SELECT count(*) FROM unauthorized_trades)").fetchall()[0]
        print(f"database: {trades:,} trades, {accounts:,} accounts, {claims_n} claims, {flagged:,} unauthorised "
              f"trades, {db.stat().st_size / 1024**2:,.0f} MiB; load average {os.getloadavg()[0]:.1f} on "
              f"{os.cpu_count()} cores")
        for page, title in PAGES:
            first, later = render_times(db, page, args.repeat)
            median = statistics.median(later)
            limit = f"  ({median / LIMIT_SECONDS:.2f} of the {LIMIT_SECONDS:.0f} s limit)" \
                if page == "views/overview.py" else ""
            print(f"{title:<30} first load {first:6.2f} s   after: median {median:5.2f} s, "
                  f"max {max(later):5.2f} s{limit}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
