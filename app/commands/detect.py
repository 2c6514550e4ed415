"""keytrace detect: (re)compute compromised keys, unauthorised trades, campaigns and losses."""

from __future__ import annotations

import argparse

from app.cli import add_json_flag, emit
from core.workspace import Workspace
from queries.detect import detect


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "detect", help="score every trade and recompute the findings",
        description="Score every trade of every account in the database with reason codes, mark the "
                    "unauthorised ones, group them into campaigns and compute each account's USD loss. "
                    "Thresholds come from [detection] in keytrace.toml. Running it again replaces the "
                    "previous findings.",
        epilog="Example: keytrace --db case.duckdb detect --json")
    add_json_flag(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    s = detect(ws)
    text = (f"Scored {s.trades_scored} trades: {s.unauthorized} unauthorised in {s.accounts} accounts, "
            f"{s.campaigns} campaigns, {s.compromised_keys} compromised keys; total loss {s.loss_usd} USD.")
    emit(args, text, s.as_dict())
    return 0
