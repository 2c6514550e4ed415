"""Benchmark: reconciling statement legs into executions (ingest/reconcile.py).

For each size it builds a fresh database holding a Binance Transaction History statement of that many
rows spread over many accounts: every execution is three legs in one second (`Transaction Buy` or
`Transaction Sold` of the base, `Transaction Spend` or `Transaction Revenue` of the quote, and a
`Transaction Fee` in BNB), as ingest/sql/formats/binance_transaction_statement.sql stores them. It then
reconciles every account in a fresh process, timing it and reading that process's peak memory, and
checks that exactly one execution per three legs came out with exact sums.

Limit named: plain DuckDB aggregation of the same legs (`GROUP BY account, ref_id, asset` summing the amounts,
the least any reading of legs into trades must do, materialised), timed in the same process; the ratio is
reconcile / plain. Peak memory is compared with the 3 GB detection budget.

Usage: nice -n 10 uv run python bench/reconcile.py [--rows 1000000,10000000] [--accounts 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import load_settings  # noqa: E402
from core.workspace import Workspace  # noqa: E402

LIMIT_BYTES = 3 * 1024**3
PAIRS = 50

SETUP = """
CREATE TEMP TABLE bench_exec AS
SELECT i,
       'acct' || CAST(i % $accounts AS VARCHAR) AS account,
       TIMESTAMPTZ '2023-01-01 00:00:00+00' + CAST(i // $accounts AS BIGINT) * INTERVAL '1' SECOND AS t,
       'T' || CAST(hash(i, 1) % $pairs AS VARCHAR) AS base,
       hash(i, 2) % 2 = 0 AS is_buy,
       CAST(1 + hash(i, 3) % 1000 AS DECIMAL(38,18)) AS qty,
       CAST(CAST(1 + hash(i, 3) % 1000 AS DECIMAL(38,10)) * CAST(0.5 + (hash(i, 4) % 1000) / 1000.0 AS DECIMAL(38,10))
            AS DECIMAL(38,18)) AS quote
FROM range($executions) r(i);

INSERT INTO ledger_movements
SELECT 'binance', e.account, e.t, 'Spot', CASE WHEN k.n = 2 THEN 'fee' ELSE 'trade' END,
       CASE WHEN k.n = 0 THEN (CASE WHEN e.is_buy THEN 'Transaction Buy' ELSE 'Transaction Sold' END)
            WHEN k.n = 1 THEN (CASE WHEN e.is_buy THEN 'Transaction Spend' ELSE 'Transaction Revenue' END)
            ELSE 'Transaction Fee' END,
       CASE WHEN k.n = 0 THEN e.base WHEN k.n = 1 THEN 'USDT' ELSE 'BNB' END,
       CASE WHEN k.n = 0 THEN (CASE WHEN e.is_buy THEN e.qty ELSE -e.qty END)
            WHEN k.n = 1 THEN (CASE WHEN e.is_buy THEN -e.quote ELSE e.quote END)
            ELSE CAST(-0.001 AS DECIMAL(38,18)) END,
       NULL, NULL, NULL, NULL, NULL, NULL,
       strftime(e.t, '%Y-%m-%d %H:%M:%S') || '|Spot', 1, 'bench-statement', 3 * e.i + k.n + 1, 'bench',
       'binance_transaction_statement'
FROM bench_exec e, (VALUES (0), (1), (2)) k(n);

INSERT INTO accounts SELECT DISTINCT exchange, account, 'bench' FROM ledger_movements;
"""

CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from core.config import load_settings
from core.workspace import Workspace
from ingest.reconcile import reconcile
ws = Workspace(load_settings({db!r}, env={{}}))
with ws.db.write() as con:
    con.execute("SET memory_limit = '2GB'")
    t0 = time.perf_counter()
    con.execute("CREATE TEMP TABLE plain_legs AS SELECT account, ref_id, asset, sum(amount) AS amount "
                "FROM ledger_movements GROUP BY account, ref_id, asset")
    plain = time.perf_counter() - t0
    con.execute("DROP TABLE plain_legs")
    t0 = time.perf_counter()
    s = reconcile(con)
    seconds = time.perf_counter() - t0
    check = con.execute("SELECT count(*), count(*) FILTER (WHERE derived_from <> 'ledger' OR source_count <> 3), "
                        "sum(quantity) FROM executions").fetchall()[0]
    legs = con.execute("SELECT sum(abs(amount)) FROM ledger_movements WHERE operation IN "
                       "('Transaction Buy', 'Transaction Sold')").fetchall()[0][0]
usage = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps({{"seconds": seconds, "plain": plain, "peak": usage.ru_maxrss * 1024,
                  "cpu": usage.ru_utime + usage.ru_stime, "executions": s.executions, "conflicts": s.conflicts,
                  "odd": check[1], "sums_equal": str(check[2]) == str(legs)}}))
"""


def build(db: Path, rows: int, accounts: int) -> None:
    ws = Workspace(load_settings(db, env={}))
    ws.init()
    with ws.db.write() as con:
        params = {"accounts": accounts, "executions": rows // 3, "pairs": PAIRS}
        for stmt in SETUP.split(";\n"):
            if stmt.strip():
                used = {k: v for k, v in params.items() if f"${k}" in stmt}
                con.execute(stmt, used).fetchall()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rows", default="1000000,10000000", help="statement rows, comma-separated")
    ap.add_argument("--accounts", type=int, default=10_000)
    args = ap.parse_args()
    for rows in (int(s) for s in args.rows.split(",")):
        with tempfile.TemporaryDirectory(prefix="kt-bench-reconcile-") as tmp:
            db = Path(tmp) / "bench.duckdb"
            t0 = time.perf_counter()
            build(db, rows, args.accounts)
            built = time.perf_counter() - t0
            out = subprocess.run([sys.executable, "-c", CHILD.format(root=str(ROOT), db=str(db))],
                                 check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"reconcile  statement rows={rows:>11,}  accounts={args.accounts:,}  build {built:6.1f} s  "
                  f"plain GROUP BY {r['plain']:5.1f} s  reconcile {r['seconds']:6.1f} s "
                  f"({r['seconds'] / r['plain']:.1f}x plain; CPU {r['cpu']:.1f} s)  "
                  f"peak {r['peak'] / 1024**3:5.2f} GB ({r['peak'] / LIMIT_BYTES:.2f} of 3 GB)  "
                  f"executions {r['executions']:,} (expected {rows // 3:,}; {r['odd']} not 3-leg ledger ones; "
                  f"quantities {'exact' if r['sums_equal'] else 'DIFFER'})  conflicts {r['conflicts']}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
