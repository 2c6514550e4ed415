"""Benchmark: `keytrace trace` (5-hop haircut from 100 seeds) over a synthetic transfer graph.

For each size it builds a fresh database: ERC-20 transfers between random addresses (five transfers per
address on average, over one year), one in ten going to one of 50 labelled exchange deposit
addresses, and 100 seed addresses (the attackers) that each send ten transfers early in the year.
It then traces forward with the haircut model for 5 hops from the 100 seeds in a fresh process, storing
the flow graph, and reports the time (limit: 20 s for 10M transfers) and the process's peak memory,
and checks conservation with the audit query.

Usage: nice -n 10 uv run python bench/trace.py [--sizes 1000000,10000000]
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

LIMIT_SECONDS = 20.0
EXCHANGES = 50
SEEDS = 100

SETUP = """
INSERT INTO transfers
SELECT 1, 16000000 + CAST(secs / 12 AS BIGINT), '0xblock',
       TIMESTAMPTZ '2023-01-01 00:00:00+00' + secs * INTERVAL '1' SECOND,
       '0x' || lpad(lower(hex(i)), 64, '0'), 0, NULL, 'erc20', '0xdac17f958d2ee523a2206206994597c13d831ec7',
       '0x' || lpad(lower(hex(src)), 40, '0'), '0x' || lpad(lower(hex(dst)), 40, '0'),
       CAST(val AS VARCHAR), CAST(val AS UHUGEINT), 'bench', NULL, NULL, 'bench'
FROM (
    SELECT i,
           CASE WHEN i < $seeds * 10 THEN $exchanges + i % $seeds
                ELSE $exchanges + $seeds + hash(i, 1) % ($addresses - $exchanges - $seeds) END AS src,
           CASE WHEN hash(i, 2) % 10 = 0 THEN hash(i, 3) % $exchanges
                ELSE $exchanges + $seeds + hash(i, 4) % ($addresses - $exchanges - $seeds) END AS dst,
           CASE WHEN i < $seeds * 10 THEN hash(i, 5) % (30 * 86400)
                ELSE hash(i, 5) % (365 * 86400) END AS secs,
           1 + hash(i, 6) % 1000000000000000000000 AS val
    FROM range($transfers) r(i)
) x;

INSERT INTO address_labels
SELECT NULL, '0x' || lpad(lower(hex(n)), 40, '0'), 'Exchange ' || CAST(n AS VARCHAR) || ': deposit', 'exchange',
       'bench', 90
FROM range($exchanges) r(n);
"""


def build(db: Path, transfers: int) -> None:
    ws = Workspace(load_settings(db, env={}))
    ws.init()
    params = {"transfers": transfers, "addresses": max(transfers // 5, 1000), "exchanges": EXCHANGES,
              "seeds": SEEDS}
    with ws.db.write() as con:
        for stmt in SETUP.split(";\n"):
            if stmt.strip():
                con.execute(stmt, {k: v for k, v in params.items() if f"${k}" in stmt}).fetchall()


CHILD = """
import json, resource, sys, time
sys.path.insert(0, {root!r})
from core.config import load_settings
from core.workspace import Workspace
from queries import runner
from queries.trace import trace
ws = Workspace(load_settings({db!r}, env={{}}))
seeds = ['0x' + format(n, 'x').rjust(40, '0') for n in range({exchanges}, {exchanges} + {seeds})]
t0 = time.perf_counter()
r = trace(ws, seeds, 'haircut', hops=5, actor='bench')
seconds = time.perf_counter() - t0
with ws.db.read() as con:
    bad = len(runner.run(con, 'audits/haircut_not_conserved'))
usage = resource.getrusage(resource.RUSAGE_SELF)
peak = usage.ru_maxrss * 1024
print(json.dumps({{"seconds": seconds, "peak": peak, "cpu": usage.ru_utime + usage.ru_stime, "edges": len(r.edges), "cash_out": len(r.cash_out_points),
                  "audit_rows": bad}}))
"""


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="transfer counts, comma-separated")
    args = ap.parse_args()
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="kt-bench-trace-") as tmp:
            db = Path(tmp) / "bench.duckdb"
            t0 = time.perf_counter()
            build(db, size)
            built = time.perf_counter() - t0
            code = CHILD.format(root=str(ROOT), db=str(db), exchanges=EXCHANGES, seeds=SEEDS)
            out = subprocess.run([sys.executable, "-c", code], check=True, capture_output=True, text=True).stdout
            r = json.loads(out.strip().splitlines()[-1])
            print(f"trace  transfers={size:>11,}  build {built:6.1f} s  haircut 5 hops from {SEEDS} seeds "
                  f"{r['seconds']:6.1f} s ({r['seconds'] / LIMIT_SECONDS:.2f} of {LIMIT_SECONDS:.0f} s; CPU {r['cpu']:.1f} s, "
                  f"load {os.getloadavg()[0]:.1f})  "
                  f"peak {r['peak'] / 1024**3:5.2f} GB  tainted edges {r['edges']:,}  "
                  f"cash-out points {r['cash_out']}  conservation audit rows {r['audit_rows']}")
            sys.stdout.flush()


if __name__ == "__main__":
    main()
