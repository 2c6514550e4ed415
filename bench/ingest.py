"""Benchmark: keytrace's ingest of a Binance Spot Trade History against plain DuckDB read_csv.

Generates files of 1M and 10M rows (``--rows`` to choose) with the export's quirks: a UTF-8 BOM, a
``Date(UTC+1)`` header, newest-first rows, fused amounts, tickers that begin with a digit (1INCH,
1000SATS), quoted thousands separators, fees in a third asset, and identical fills in one second.
For each size it runs, each in a fresh process (so peak memory is that process's own):

* plain: ``CREATE TABLE t AS SELECT * FROM read_csv(file)`` into a new DuckDB file;
* floor: ``bench/sql/ingest_floor.sql``, the least any exact ingest must do (the strict parse into nine
  typed columns, nothing else), into a new DuckDB file: how much of the gap is parsing at all;
* keytrace: ``ingest_file`` into a new workspace (hash, evidence store, stage, validate, merge).

Wall time is the figure the limits speak of; CPU time is printed too, because on a shared machine
the wall time of either side also measures the other processes.

It prints wall time and peak RSS of each, the ratios floor/plain and keytrace/plain against the 2x limit, the peak
against the 2 GB limit, and (with two sizes) the growth from the smaller to the larger file.

    nice -n 10 uv run python bench/ingest.py --rows 1000000 10000000 [--repeat 2] [--dir DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import duckdb

# Run as a script, Python puts bench/ first on sys.path, where this file would shadow the `ingest` package.
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIME_LIMIT_RATIO = 2.0
MEMORY_LIMIT_BYTES = 2 * 1024**3

GENERATE_SQL = """
COPY (
    WITH pairs(k, pair, base, quote, price, fee_asset) AS (
        VALUES (0, 'BTCUSDT', 'BTC', 'USDT', 63012.55, 'BNB'),
               (1, '1INCHUSDT', '1INCH', 'USDT', 0.5312, '1INCH'),
               (2, '1000SATSFDUSD', '1000SATS', 'FDUSD', 0.000387, 'FDUSD'),
               (3, 'ETHBTC', 'ETH', 'BTC', 0.05512, 'BNB'),
               (4, 'BNBETH', 'BNB', 'ETH', 0.1243, 'BNB')
    ),
    rows AS (
        SELECT
            r.range AS i,
            -- every 1000th row repeats the one before it: identical fills in one second
            CASE WHEN r.range % 1000 = 1 THEN r.range - 1 ELSE r.range END AS g
        FROM range($rows) AS r
    )
    SELECT
        strftime(TIMESTAMP '2024-03-04 10:15:00' - to_seconds(CAST(rows.g / 3 AS BIGINT)), '%Y-%m-%d %H:%M:%S'),
        p.pair,
        CASE WHEN rows.g % 2 = 0 THEN 'BUY' ELSE 'SELL' END,
        format('{:,.10f}', p.price * (1 + (rows.g % 97) / 1000.0)),
        format('{:.10f}', 1 + (rows.g % 1013) / 100.0) || p.base,
        -- Amount is Price x Executed (keytrace refuses a row where it is not, beyond the file's rounding)
        format('{:,.8f}', round(p.price * (1 + (rows.g % 97) / 1000.0), 10) * (1 + (rows.g % 1013) / 100.0)) || p.quote,
        format('{:.10f}', (rows.g % 89) / 100000.0) || p.fee_asset
    FROM rows
    JOIN pairs AS p ON p.k = rows.g % 5
    ORDER BY rows.i
) TO $path (HEADER false, QUOTE '"')
"""


def generate(path: Path, rows: int) -> None:
    body = path.with_suffix(".body")
    con = duckdb.connect()
    con.execute(GENERATE_SQL, {"rows": rows, "path": str(body)})
    con.close()
    with path.open("wb") as out, body.open("rb") as src:
        out.write("\ufeffDate(UTC+1),Pair,Side,Price,Executed,Amount,Fee\n".encode())
        while chunk := src.read(1 << 22):
            out.write(chunk)
    body.unlink()


def _cpu() -> float:
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def _child(mode: str, path: str, workdir: str) -> None:
    start, cpu0 = time.perf_counter(), _cpu()
    phases: dict[str, float] = {}
    if mode == "plain":
        con = duckdb.connect(str(Path(workdir) / "plain.duckdb"))
        con.execute("CREATE TABLE t AS SELECT * FROM read_csv(?)", [path])
        n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        con.close()
    elif mode == "floor":
        from ingest.formats.assets import QUOTE_ASSETS
        from ingest.formats.base import header_offset_minutes

        with open(path, encoding="utf-8-sig") as f:
            header = tuple(f.readline().rstrip("\n").split(","))
        sql = (ROOT / "bench" / "sql" / "ingest_floor.sql").read_text()
        con = duckdb.connect(str(Path(workdir) / "floor.duckdb"))
        con.execute("SET TimeZone = 'UTC'")
        con.execute("CREATE TABLE t AS " + sql, {
            "path": path, "skip": 1, "time_format": "%Y-%m-%d %H:%M:%S",
            "offset_minutes": header_offset_minutes(header, 0),
            **{f"quotes_{n}": [q for q in QUOTE_ASSETS if len(q) == n] for n in (3, 4, 5)}})
        n = con.execute("SELECT count(*) FROM t").fetchall()[0][0]
        con.close()
    else:
        from core.config import load_settings
        from core.workspace import Workspace
        from ingest.api import ingest_file

        for var in ("KEYTRACE_DB", "KEYTRACE_SECRET_KEY", "KEYTRACE_KEY_FILE", "KEYTRACE_EVIDENCE_DIR"):
            os.environ.pop(var, None)
        ws = Workspace(load_settings(Path(workdir) / "case.duckdb"))
        ws.init()
        marks: list[tuple[str, float]] = []
        start, cpu0 = time.perf_counter(), _cpu()
        res = ingest_file(ws, path, account="bench", progress=lambda step, _: marks.append((step, time.perf_counter())))
        n = res.rows_added
        # seconds from each step's start to the next one's (the steps ingest_file reports); hashing and
        # sealing the evidence copy run on a thread alongside reading, so that step shows no time
        phases = {a: round(tb - ta, 3) for (a, ta), (_, tb) in zip(marks, marks[1:], strict=False)
                  if a != "hashing"}
    elapsed, cpu = time.perf_counter() - start, _cpu() - cpu0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    print(json.dumps({"seconds": elapsed, "cpu_seconds": cpu, "rows": n, "peak_bytes": peak,
                      "phases": phases}))


def measure(mode: str, path: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"kt-bench-{mode}-", dir=path.parent) as workdir:
        out = subprocess.run([sys.executable, __file__, "--child", mode, str(path), workdir],
                             check=True, capture_output=True, text=True)
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--dir", type=Path, default=None, help="where to write the generated files")
    parser.add_argument("--repeat", type=int, default=1,
                        help="runs of each measurement; the fastest counts (a shared machine is noisy)")
    parser.add_argument("--child", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument("--generate-only", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(*args.child)
        return 0
    if args.generate_only:
        generate(Path(args.generate_only[0]), int(args.generate_only[1]))
        return 0
    base = Path(args.dir or tempfile.mkdtemp(prefix="kt-bench-"))
    base.mkdir(parents=True, exist_ok=True)
    results = []
    for rows in args.rows:
        path = base / f"binance_trade_history_{rows}.csv"
        if not path.exists():
            t0 = time.perf_counter()
            # in its own process: Linux hands a parent's peak RSS down to the children it forks later,
            # which would charge the generator's memory to both measured loads
            subprocess.run([sys.executable, __file__, "--generate-only", str(path), str(rows)], check=True)
            print(f"generated {rows:,} rows ({path.stat().st_size / 1e6:,.0f} MB) in {time.perf_counter() - t0:.1f} s")
        plain = min((measure("plain", path) for _ in range(args.repeat)), key=lambda m: m["seconds"])
        floor = min((measure("floor", path) for _ in range(args.repeat)), key=lambda m: m["seconds"])
        kt = min((measure("keytrace", path) for _ in range(args.repeat)), key=lambda m: m["seconds"])
        for label, m in (("floor", floor), ("keytrace", kt)):
            if m["rows"] != rows:
                print(f"ERROR: {label} stored {m['rows']:,} rows of {rows:,}")
                return 1
        ratio = kt["seconds"] / plain["seconds"]
        results.append((rows, plain, kt))
        print(f"{rows:>11,} rows | plain read_csv {plain['seconds']:7.2f} s (cpu {plain['cpu_seconds']:.1f} s), "
              f"peak {plain['peak_bytes'] / 2**20:5.0f} MiB"
              f" | floor {floor['seconds']:6.2f} s (ratio {floor['seconds'] / plain['seconds']:.2f})"
              f" | keytrace {kt['seconds']:7.2f} s (cpu {kt['cpu_seconds']:.1f} s), peak {kt['peak_bytes'] / 2**20:5.0f} MiB"
              f" | time ratio {ratio:.2f} (limit {TIME_LIMIT_RATIO:.1f}: {ratio / TIME_LIMIT_RATIO:.0%} of it)"
              f" | peak {kt['peak_bytes'] / MEMORY_LIMIT_BYTES:.0%} of the 2 GB limit")
        print("             keytrace steps: " + ", ".join(f"{k} {v:.2f} s" for k, v in kt["phases"].items()))
    if len(results) >= 2:
        (r0, _, k0), (r1, _, k1) = results[0], results[-1]
        growth = k1["seconds"] / k0["seconds"]
        print(f"growth {r0:,} -> {r1:,} rows: keytrace time x{growth:.1f} for x{r1 / r0:.0f} rows "
              f"({'linear or better' if growth <= r1 / r0 * 1.25 else 'WORSE than linear'})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
