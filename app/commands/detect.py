"""keytrace detect: (re)compute compromised keys, unauthorised trades, campaigns and losses."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.workspace import Workspace
from queries.detect import detect, thresholds
from queries.engines import ENGINES


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "detect", help="score every trade and recompute the findings",
        description="Score every trade of every account in the database with reason codes, mark the "
                    "unauthorised ones, group them into campaigns and compute each account's USD loss. "
                    "Thresholds come from [detection] in keytrace.toml. Running it again replaces the "
                    "previous findings.",
        epilog="Example: keytrace --db case.duckdb detect --json; "
               "keytrace detect --engine spark --input /data/keytrace-parquet --json")
    p.add_argument("--engine", choices=ENGINES, default="duckdb",
                   help="duckdb (default: the database at --db) or spark (the Parquet folder at --input)")
    p.add_argument("--input", default=None, metavar="DIR",
                   help="with --engine spark: folder (or hdfs://, s3a:// URL) written by `keytrace export parquet`")
    p.add_argument("--output", default=None, metavar="DIR",
                   help="with --engine spark: where the findings tables go as Parquet (default DIR/findings)")
    p.add_argument("--spark-master", default=None, metavar="URL",
                   help="with --engine spark: Spark master (default: spark-submit's, else local[*])")
    add_json_flag(p)
    p.set_defaults(func=run)


def run_spark(args: argparse.Namespace) -> int:
    if args.input is None:
        raise UsageError("keytrace detect --engine spark reads Parquet: give --input DIR "
                         "(written by `keytrace export parquet DIR`)")
    try:
        from queries.engines import spark as engine
    except ImportError as exc:
        raise UsageError("the Spark engine needs the optional extra: pip install 'keytrace[spark]'") from exc
    params = thresholds(Workspace.open(args.db))
    output = args.output or f"{str(args.input).rstrip('/')}/findings"
    spark = engine.session(args.spark_master)
    engine.register_input(spark, args.input)
    s = engine.detect(spark, params)
    engine.write_findings(s, output)
    text = (f"Scored {s.trades_scored} trades on Spark: {s.unauthorized} unauthorised in {s.accounts} accounts, "
            f"{s.campaigns} campaigns, {s.compromised_keys} compromised keys; total loss {s.loss_usd} USD. "
            f"Findings written to {output}.")
    emit(args, text, {**s.as_dict(), "output": output})
    return 0


def run(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        return run_spark(args)
    if args.input is not None or args.output is not None:
        raise UsageError("--input and --output go with --engine spark")
    ws = Workspace.open(args.db)
    s = detect(ws)
    text = (f"Scored {s.trades_scored} trades: {s.unauthorized} unauthorised in {s.accounts} accounts, "
            f"{s.campaigns} campaigns, {s.compromised_keys} compromised keys; total loss {s.loss_usd} USD.")
    if s.excluded:
        text += f"\n{len(s.excluded)} account(s) left out, their evidence is in dispute:\n" + "\n".join(
            f"- {reason}" for reason in s.excluded)
    emit(args, text, s.as_dict())
    return 0
