"""Benchmark: detection quality against the demo incident's ground truth.

For each seed it runs the demo generator through the real command line (`keytrace demo --no-serve`,
which ingests every file and runs `keytrace detect`), then compares the findings with the ground truth
the generator wrote beside the files:

* precision and recall of unauthorised-trade detection (target >= 0.95 each); a trade is matched on
  (exchange, account, time to the second, pair, side, price, quantity), counting repeats;
* account-level loss error: |computed - true| / true for every account with a true loss (target: the
  worst within 5%), and the total;
* campaign grouping: for every true campaign, the detected campaign sharing most of its accounts and
  the Jaccard index of the two account sets (1.0 = identical), plus the pair;
* tracing: a haircut trace (8 hops) from the attackers' addresses must reach every true cash-out point
  with its exact amount.

Usage: nice -n 10 uv run python bench/quality.py [--seeds 1,2] [--accounts N]
"""

from __future__ import annotations

import argparse
import csv
import json
import subprocess
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from queries.trace import compute as trace_compute  # noqa: E402

TARGET_PR = 0.95
TARGET_LOSS_ERROR = 0.05


@dataclass
class Quality:
    seed: int
    true_unauthorized: int
    found: int
    true_positive: int
    precision: float
    recall: float
    accounts_with_loss: int
    worst_loss_error: float
    mean_loss_error: float
    total_loss_true: Decimal
    total_loss_found: Decimal
    campaigns_true: int
    campaigns_found: int
    campaign_jaccard_min: float
    campaign_pairs_matched: int
    cash_out_true: int = 0
    cash_out_exact: int = 0

    def line(self) -> str:
        ok = (self.precision >= TARGET_PR and self.recall >= TARGET_PR
              and self.worst_loss_error <= TARGET_LOSS_ERROR)
        return (f"quality seed={self.seed}  precision {self.precision:.4f}  recall {self.recall:.4f} "
                f"(target >= {TARGET_PR}; {self.true_positive:,} of {self.true_unauthorized:,} true, "
                f"{self.found:,} found)  account loss error worst {self.worst_loss_error:.2%} mean "
                f"{self.mean_loss_error:.2%} over {self.accounts_with_loss} accounts (target <= 5%)  "
                f"total loss {self.total_loss_found:,.2f} vs {self.total_loss_true:,.2f} USD  campaigns "
                f"{self.campaigns_found} found / {self.campaigns_true} true, worst Jaccard "
                f"{self.campaign_jaccard_min:.2f}, pairs matched {self.campaign_pairs_matched}  cash-out points "
                f"(haircut trace from the attackers' addresses) {self.cash_out_exact} of {self.cash_out_true} "
                f"found with the exact amount  "
                f"{'PASS' if ok else 'FAIL'}")


def _key(exchange: str, account: str, time_utc: str, pair: str, side: str, price: Any,
         quantity: Any) -> tuple[str, ...]:
    return (exchange, account, time_utc[:19], pair, side, str(Decimal(str(price)).normalize()),
            str(Decimal(str(quantity)).normalize()))


def evaluate(db: Path, files: Path, seed: int = 0) -> Quality:
    truth_dir = files / "ground_truth"
    with (truth_dir / "trades.csv").open(encoding="utf-8") as fh:
        truth_rows = list(csv.DictReader(fh))
    true_set = Counter(_key(r["exchange"], r["account"], r["time_utc"], r["pair"], r["side"], r["price"],
                            r["quantity"]) for r in truth_rows if r["unauthorized"] == "true")
    with (truth_dir / "accounts.csv").open(encoding="utf-8") as fh:
        true_loss = {(r["exchange"], r["account"]): Decimal(r["loss_usd_exact"]) for r in csv.DictReader(fh)}
    doc = json.loads((truth_dir / "ground_truth.json").read_text())
    campaigns_true = doc["campaigns"]
    con = duckdb.connect(str(db), read_only=True)
    try:
        con.execute("SET TimeZone = 'UTC'")
        found_rows = con.execute(
            "SELECT exchange, account, strftime(time_utc, '%Y-%m-%dT%H:%M:%S.%fZ'), pair, side, price, quantity "
            "FROM unauthorized_trades").fetchall()
        losses = {(r[0], r[1]): Decimal(r[2] or 0) for r in con.execute(
            "SELECT exchange, account, loss_usd FROM account_losses").fetchall()}
        camp_rows = con.execute("SELECT campaign_id, pair, exchange, account FROM campaign_accounts").fetchall()
        traced = trace_compute(con, doc["attacker_addresses"], "haircut", hops=8) if doc["attacker_addresses"] else None
    finally:
        con.close()
    found = Counter(_key(r[0], r[1], _iso(r[2]), r[3], r[4], r[5], r[6]) for r in found_rows)
    tp = sum((found & true_set).values())
    n_found, n_true = sum(found.values()), sum(true_set.values())
    errors = []
    for acc, truth in true_loss.items():
        if truth > 0:
            errors.append(float(abs(losses.get(acc, Decimal(0)) - truth) / truth))
    ours: dict[str, set[str]] = {}
    our_pair: dict[str, str] = {}
    for cid, pair, _exchange, account in camp_rows:
        ours.setdefault(cid, set()).add(account)
        our_pair[cid] = pair
    jaccards, pairs_ok = [], 0
    for c in campaigns_true:
        accs = set(c["accounts"])
        best, best_j = None, 0.0
        for cid, got in ours.items():
            j = len(accs & got) / len(accs | got) if accs | got else 0.0
            if j > best_j:
                best, best_j = cid, j
        jaccards.append(best_j)
        pairs_ok += int(best is not None and our_pair[best] == c["pair"])
    points = {(c.address, c.token): c.tainted_amount for c in (traced.cash_out_points if traced else [])}
    exact = sum(1 for p in doc["cash_out_points"]
                if points.get((p["address"], p["token"])) == Decimal(str(p["amount_raw"])))
    return Quality(
        seed=seed, true_unauthorized=n_true, found=n_found, true_positive=tp,
        precision=tp / n_found if n_found else 0.0, recall=tp / n_true if n_true else 1.0,
        accounts_with_loss=len(errors), worst_loss_error=max(errors, default=0.0),
        mean_loss_error=sum(errors) / len(errors) if errors else 0.0,
        total_loss_true=sum(true_loss.values(), Decimal(0)), total_loss_found=sum(losses.values(), Decimal(0)),
        campaigns_true=len(campaigns_true), campaigns_found=len(ours),
        campaign_jaccard_min=min(jaccards, default=1.0), campaign_pairs_matched=pairs_ok,
        cash_out_true=len(doc["cash_out_points"]), cash_out_exact=exact)


def _iso(text: str) -> str:
    """Times are compared to the second on both sides (some ground-truth files carry no fraction)."""
    return text[:19] + "Z"


def build_demo(folder: Path, seed: int, accounts: int | None) -> tuple[Path, Path]:
    db, files = folder / "demo.duckdb", folder / "files"
    cmd = [sys.executable, "-m", "app.cli", "--db", str(db), "demo", "--seed", str(seed), "--no-serve",
           "--out", str(files), "--json"]
    if accounts:
        cmd += ["--accounts", str(accounts)]
    subprocess.run(cmd, check=True, cwd=ROOT, capture_output=True, text=True)
    return db, files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--seeds", default="1,2")
    ap.add_argument("--accounts", type=int, default=None, help="accounts in the demo (default: the demo's)")
    ap.add_argument("--db", type=Path, default=None, help="evaluate an existing demo database ...")
    ap.add_argument("--files", type=Path, default=None, help="... and its files folder, without building")
    args = ap.parse_args()
    if args.db and args.files:
        print(evaluate(args.db, args.files).line())
        return
    for seed in (int(s) for s in args.seeds.split(",")):
        with tempfile.TemporaryDirectory(prefix="kt-bench-quality-") as tmp:
            t0 = time.perf_counter()
            db, files = build_demo(Path(tmp), seed, args.accounts)
            q = evaluate(db, files, seed)
            print(q.line() + f"  (demo built in {time.perf_counter() - t0:.0f} s)")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
