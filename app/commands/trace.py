"""keytrace trace: follow stolen money over the ingested transfers and list the cash-out points."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.workspace import Workspace
from queries.trace import DIRECTIONS, MODELS, trace


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
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    result = trace(ws, args.seeds, args.model, args.hops, args.direction, args.chain_id, args.token)
    lines = [f"Trace {result.trace_id} ({result.model}, {result.direction}, {result.hops} hops): "
             f"{len(result.edges)} tainted transfers, {len(result.cash_out_points)} cash-out points."]
    for c in result.cash_out_points:
        lines.append(f"  {c.address}  {c.entity} ({c.category})  token {c.token}  tainted {c.tainted_amount}  "
                     f"{c.first_utc:%Y-%m-%dT%H:%M:%SZ} .. {c.last_utc:%Y-%m-%dT%H:%M:%SZ}  paths {c.path_count}")
    emit(args, "\n".join(lines), result.as_dict())
    return 0
