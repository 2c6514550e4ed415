"""keytrace trace: follow stolen money over the ingested transfers and list the cash-out points."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.workspace import Workspace
from queries.engines import ENGINES
from queries.trace import DIRECTIONS, MODELS, TraceResult, store, trace


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "trace", help="trace tainted money from seed addresses",
        description="Follow transfers from (forward) or into (backward) the seed addresses for up to N hops "
                    "with the poison, haircut or FIFO taint model, stopping at labelled exchanges, bridges "
                    "and mixers (the cash-out points). The flow graph is kept for the app and reports.",
        epilog="Example: keytrace trace --from 0xabc... --model haircut --hops 5 --json")
    p.add_argument("--from", dest="seeds", nargs="+", required=True, metavar="ADDR", help="seed addresses")
    p.add_argument("--model", choices=MODELS, required=True, help="taint model")
    p.add_argument("--hops", type=int, default=5, help="maximum hops (default 5)")
    p.add_argument("--direction", choices=DIRECTIONS, default="forward", help="forward (default) or backward")
    p.add_argument("--chain-id", type=int, default=None, help="only this chain")
    p.add_argument("--token", default=None, help="only this token contract (or 'native')")
    p.add_argument("--engine", choices=ENGINES, default="duckdb",
                   help="duckdb (default: the database at --db) or spark (the Parquet folder at --input)")
    p.add_argument("--input", default=None, metavar="DIR",
                   help="with --engine spark: folder (or hdfs://, s3a:// URL) written by `keytrace export parquet`")
    p.add_argument("--spark-master", default=None, metavar="URL",
                   help="with --engine spark: Spark master (default: spark-submit's, else local[*])")
    add_json_flag(p)
    p.set_defaults(func=run)


def _spark_trace(args: argparse.Namespace) -> TraceResult:
    if args.input is None:
        raise UsageError("keytrace trace --engine spark reads Parquet: give --input DIR "
                         "(written by `keytrace export parquet DIR`)")
    try:
        from queries.engines import spark as engine
    except ImportError as exc:
        raise UsageError("the Spark engine needs the optional extra: pip install 'keytrace[spark]'") from exc
    spark = engine.session(args.spark_master)
    engine.register_input(spark, args.input)
    result = engine.trace(spark, args.seeds, args.model, args.hops, args.direction, args.chain_id, args.token)
    ws = Workspace.open(args.db)
    if ws.db.exists():   # keep the flow graph for the app and reports, as a DuckDB trace does
        store(ws, result)
    return result


def run(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        result = _spark_trace(args)
    else:
        if args.input is not None:
            raise UsageError("--input goes with --engine spark")
        ws = Workspace.open(args.db)
        result = trace(ws, args.seeds, args.model, args.hops, args.direction, args.chain_id, args.token)
    lines = [f"Trace {result.trace_id} ({result.model}, {result.direction}, {result.hops} hops): "
             f"{len(result.edges)} tainted transfers, {len(result.cash_out_points)} cash-out points."]
    for c in result.cash_out_points:
        lines.append(f"  {c.address}  {c.entity} ({c.category})  token {c.token}  tainted {c.tainted_amount}  "
                     f"{c.first_utc:%Y-%m-%dT%H:%M:%SZ} .. {c.last_utc:%Y-%m-%dT%H:%M:%SZ}  paths {c.path_count}")
    emit(args, "\n".join(lines), result.as_dict())
    return 0
