"""Benchmark: detection on DuckDB and on Spark (local mode) over the same synthetic trades.

For each size it builds the synthetic exchange of bench/detect.py (accounts trading 200 pairs over 30
days, hourly reference bars, 0.1% of accounts pumped), runs `keytrace detect` on DuckDB, writes the
canonical tables with `keytrace export parquet`, and runs the same detection on Spark (`local[N]`, the
cores of this machine) from that Parquet, timing each. It checks that both engines flag the same number
of trades with the same total loss. The named limit is issue 5's: 10M trades detected in <= 60 s on
this 2-core machine; the ratio shows where Spark stands against it and against DuckDB (the crossover:
a ratio below 1 means Spark was faster).

Runs in the Spark environment:
  nice -n 10 .venv-spark/bin/python bench/spark.py [--sizes 1000000,10000000] [--accounts 100000]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.detect import build  # noqa: E402
from core.config import load_settings  # noqa: E402
from core.workspace import Workspace  # noqa: E402

LIMIT_SECONDS = 60.0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--sizes", default="1000000,10000000", help="trade counts, comma-separated")
    ap.add_argument("--accounts", type=int, default=100_000)
    ap.add_argument("--master", default=f"local[{os.cpu_count() or 2}]")
    ap.add_argument("--driver-memory", default="4g")
    args = ap.parse_args()

    from app.commands.parquet import export_parquet
    from queries.detect import detect, thresholds
    from queries.engines import spark as engine

    t0 = time.perf_counter()
    spark = engine.session(args.master, shuffle_partitions=2 * (os.cpu_count() or 2),
                           extra={"spark.driver.memory": args.driver_memory})
    spark.sparkContext.setLogLevel("ERROR")
    started = time.perf_counter() - t0
    print(f"spark session ({args.master}, driver {args.driver_memory}) started in {started:.1f} s")
    for size in (int(s) for s in args.sizes.split(",")):
        with tempfile.TemporaryDirectory(prefix="kt-bench-spark-") as tmp:
            db = Path(tmp) / "bench.duckdb"
            t0 = time.perf_counter()
            build(db, size, args.accounts)
            built = time.perf_counter() - t0
            ws = Workspace(load_settings(db, env={}))
            t0 = time.perf_counter()
            local = detect(ws, actor="bench")
            duck = time.perf_counter() - t0
            t0 = time.perf_counter()
            export_parquet(ws, Path(tmp) / "parquet")
            exported = time.perf_counter() - t0
            t0 = time.perf_counter()
            engine.register_input(spark, str(Path(tmp) / "parquet"))
            remote = engine.detect(spark, thresholds(ws))
            on_spark = time.perf_counter() - t0
            same = (remote.unauthorized, remote.loss_usd) == (local.unauthorized, local.loss_usd)
            print(f"trades={size:>11,}  accounts={args.accounts:,}  build {built:6.1f} s  "
                  f"duckdb {duck:7.1f} s ({duck / LIMIT_SECONDS:.2f} of {LIMIT_SECONDS:.0f} s)  "
                  f"export parquet {exported:6.1f} s  "
                  f"spark {on_spark:7.1f} s ({on_spark / LIMIT_SECONDS:.2f} of {LIMIT_SECONDS:.0f} s; "
                  f"{on_spark / duck:.1f}x duckdb)  unauthorised {remote.unauthorized:,} / {local.unauthorized:,} "
                  f"loss {remote.loss_usd} / {local.loss_usd} {'same' if same else 'DIFFERENT'}  "
                  f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
            sys.stdout.flush()
            spark.catalog.clearCache()
    spark.stop()


if __name__ == "__main__":
    main()
