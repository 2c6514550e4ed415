"""Benchmark: `keytrace detect` on a synthetic exchange with many accounts and trades.

For each size it builds a fresh database (accounts trading 200 pairs over 30 days at market prices,
hourly reference bars for every pair, and 0.1% of accounts hit by a pump: two sells, then 30 buys of
one thin pair at 5x the price) and runs detection in a fresh process, timing it and reading that
process's peak memory. Detection reads executions: the build reconciles the fills into them first, as
every ingest does (timed and printed apart). Limits (issue 5): 100,000 accounts and 10M trades in <= 60 s and <= 3 GB on the
2-core machine. It also checks that exactly the injected pump trades were found.

Usage: nice -n 10 uv run python bench/detect.py [--sizes 1000000,10000000] [--accounts 100000]
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import load_settings  # noqa: E402
from core.workspace import Workspace  # noqa: E402
from ingest.reconcile import reconcile  # noqa: E402

LIMIT_SECONDS = 60.0
LIMIT_BYTES = 3 * 1024**3
PAIRS = 200           # pair 0 is BTC/USDT, pairs 1..39 are thin, the rest liquid
THIN = 40
VICTIM_EVERY = 1000   # one account in a thousand is a victim
PUMP_BUYS = 30

SETUP = """
CREATE TEMP TABLE bench_pairs AS
SELECT i AS idx,
       CASE WHEN i = 0 THEN 'BTC/USDT' ELSE 'T' || i || '/' || CASE WHEN i % 5 = 0 THEN 'BTC' ELSE 'USDT' END END
           AS pair,
       CASE WHEN i = 0 THEN 'BTC' ELSE 'T' || i END AS base_asset,
       CASE WHEN i = 0 OR i % 5 <> 0 THEN 'USDT' ELSE 'BTC' END AS quote_asset,
       CAST(CASE WHEN i = 0 THEN 20000 WHEN i % 5 = 0 THEN 0.0001 * i ELSE 0.5 * i END AS DECIMAL(38,18)) AS price,
       CAST(CASE WHEN i = 0 THEN 50000000 WHEN i < $thin THEN (CASE WHEN i % 5 = 0 THEN 0.02 ELSE 1000 END)
                 ELSE (CASE WHEN i % 5 = 0 THEN 500 ELSE 10000000 END) END AS DECIMAL(38,18)) AS hourly_quote_volume
FROM range($pairs) r(i);

INSERT INTO price_bars
SELECT 'refvenue', p.pair, '1h', TIMESTAMPTZ '2022-12-24 00:00:00+00' + h * INTERVAL '1' HOUR,
       p.price, p.price, p.price, p.price, CAST(p.hourly_quote_volume / p.price AS DECIMAL(38,18)),
       p.hourly_quote_volume, 100, 'bench', h, 'bench'
FROM bench_pairs p, range(24 * 40) r(h);

INSERT INTO trades
SELECT 'binance', 'acct' || CAST(i % $accounts AS VARCHAR),
       TIMESTAMPTZ '2023-01-01 00:00:00+00' + CAST(hash(i, 1) % (30 * 86400) AS BIGINT) * INTERVAL '1' SECOND,
       p.pair, p.base_asset, p.quote_asset,
       CASE WHEN hash(i, 2) % 2 = 0 THEN 'buy' ELSE 'sell' END,
       CAST(p.price * (1 + (CAST(hash(i, 3) % 200 AS DECIMAL(10,4)) - 100) / 10000) AS DECIMAL(38,18)),
       CAST(1 + hash(i, 4) % 100 AS DECIMAL(38,18)),
       CAST(CAST(p.price AS DECIMAL(38,10)) * CAST(1 + hash(i, 4) % 100 AS DECIMAL(38,10)) AS DECIMAL(38,18)),
       NULL, NULL, 'o' || CAST(i AS VARCHAR), 't' || CAST(i AS VARCHAR), NULL,
       CASE WHEN hash(i, 5) % 3 = 0 THEN 'api' ELSE 'web' END, 'taker', 1, 'bench', i, 'bench', 'bench'
FROM range($trades) r(i)
JOIN bench_pairs p ON p.idx = CAST(hash(i, 6) % $pairs AS BIGINT);

-- victims: two market sells, then PUMP_BUYS buys of one thin pair at 5x, two seconds apart
INSERT INTO trades
SELECT 'binance', 'acct' || CAST(v * $victim_every AS VARCHAR),
       TIMESTAMPTZ '2023-01-15 22:00:00+00' + CAST(v % 50 AS BIGINT) * INTERVAL '1' MINUTE + k * INTERVAL '2' SECOND,
       CASE WHEN k = 0 THEN 'BTC/USDT' WHEN k = 1 THEN 'T41/USDT' ELSE 'T' || CAST(1 + v % 3 AS VARCHAR) || '/USDT' END,
       CASE WHEN k = 0 THEN 'BTC' WHEN k = 1 THEN 'T41' ELSE 'T' || CAST(1 + v % 3 AS VARCHAR) END,
       'USDT',
       CASE WHEN k < 2 THEN 'sell' ELSE 'buy' END,
       CAST(CASE WHEN k = 0 THEN 20000 WHEN k = 1 THEN 20.5 ELSE 5 * 0.5 * (1 + v % 3) END AS DECIMAL(38,18)),
       CAST(1 AS DECIMAL(38,18)),
       CAST(CASE WHEN k = 0 THEN 20000 WHEN k = 1 THEN 20.5 ELSE 5 * 0.5 * (1 + v % 3) END AS DECIMAL(38,18)),
       NULL, NULL, 'vo' || CAST(v AS VARCHAR) || '-' || CAST(k AS VARCHAR), NULL, NULL, 'api', 'taker', 1,
       'bench-victims', v * 1000 + k, 'bench', 'bench'
FROM range(CAST($accounts / $victim_every AS BIGINT)) a(v), range($pump_buys + 2) b(k);

INSERT INTO accounts SELECT DISTINCT exchange, account, 'bench' FROM trades;
"""


def build(db: Path, trades: int, accounts: int) -> float:
    """Build the database; returns the seconds reconciliation took (the fills into executions)."""
    ws = Workspace(load_settings(db, env={}))
    ws.init()
    with ws.db.write() as con:
        params = {"thin": THIN, "pairs": PAIRS, "accounts": accounts, "trades": trades,
                  "victim_every": VICTIM_EVERY, "pump_buys": PUMP_BUYS}
        for stmt in SETUP.split(";\n"):
            if stmt.strip():
                used = {k: v for k, v in params.items() if f"${k}" in stmt}
                con.execute(stmt, used).fetchall()
        con.execute("SET memory_limit = '2GB'")
        t0 = time.perf_counter()
        reconcile(con)  # what every ingest does for the accounts it touches
        return time.perf_counter() - t0


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from core.config import load_settings
from core.workspace import Workspace
from queries.detect import detect
ws = Workspace(load_settings({db!r}, env={{}}))
t0 = time.perf_counter()
s = detect(ws, actor="bench")
seconds = time.perf_counter() - t0
with ws.db.read() as con:
    wrong = con.execute("SELECT count(*) FROM unauthorized_trades WHERE evidence_sha256 <> 'bench-victims'").fetchall()[0][0]
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss * 1024
print(json.dumps({{"seconds": seconds, "peak": peak, "cpu": usage.ru_utime + usage.ru_stime, "unauthorized": s.unauthorized, "wrong": wrong,
                  "scored": s.trades_scored, "campaigns": s.campaigns}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="trade counts, comma-separated")
    ap.add_argument("--accounts", type=int, default=100_000)
    args = ap.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="kt-bench-detect-") as tmp:
            db = Path(tmp) / "bench.duckdb"
            t0 = time.perf_counter()
            reconciled = build(db, size, args.accounts)
            built = time.perf_counter() - t0
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db))],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            expected = (args.accounts // VICTIM_EVERY) * (PUMP_BUYS + 2)
            print(f"detect  executions={r['scored']:>11,}  accounts={args.accounts:,}  build {built:6.1f} s "
                  f"(of which reconciling the fills {reconciled:5.1f} s)  "
                  f"detect {r['seconds']:6.1f} s ({r['seconds'] / LIMIT_SECONDS:.2f} of {LIMIT_SECONDS:.0f} s; "
                  f"CPU {r['cpu']:.1f} s on {os.cpu_count()} cores, load {os.getloadavg()[0]:.1f})  "
                  f"peak {r['peak'] / 1024**3:5.2f} GB ({r['peak'] / LIMIT_BYTES:.2f} of 3 GB)  "
                  f"unauthorised {r['unauthorized']:,} (expected {expected:,}, {r['wrong']} outside the pumps)  "
                  f"campaigns {r['campaigns']}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
