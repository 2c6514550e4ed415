"""keytrace prices fetch: download Binance's public kline files and load them as reference prices."""

from __future__ import annotations

import argparse
import getpass
from datetime import date

from app.cli import add_json_flag, emit
from core.errors import UsageError
from core.progress import Progress
from core.workspace import Workspace
from ingest.prices import DEFAULT_BASE_URL, INTERVALS, fetch_klines


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date like 2022-12-25") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("prices", help="reference prices (public klines)", description="Reference-price commands.")
    psub = p.add_subparsers(dest="prices_command", metavar="ACTION")
    psub.required = True
    f = psub.add_parser(
        "fetch", help="download Binance public klines for a pair and load them",
        description="Download the public Binance kline files (monthly, else daily) covering the dates, check "
                    "their published SHA-256, and ingest each as evidence into price_bars. Needs a network.",
        epilog="Example: keytrace --db case.duckdb prices fetch AKRO/USDT --from 2022-12-25 --to 2022-12-26 "
               "--interval 1m --json")
    f.add_argument("pair", metavar="PAIR", help="BTC/USDT, BTC-USDT or BTCUSDT")
    f.add_argument("--from", dest="start", required=True, type=_date, metavar="DATE", help="first day (UTC)")
    f.add_argument("--to", dest="end", required=True, type=_date, metavar="DATE", help="last day (UTC)")
    f.add_argument("--interval", default="1m", choices=INTERVALS, help="bar length (default 1m)")
    f.add_argument("--base-url", default=None, metavar="URL",
                   help=f"a mirror of {DEFAULT_BASE_URL} (default: that site)")
    add_json_flag(f)
    f.set_defaults(func=run_fetch)


def run_fetch(args: argparse.Namespace) -> int:
    ws = Workspace.open(args.db)
    if not ws.db.exists():
        raise UsageError(f"there is no keytrace database at {ws.db.path}; run `keytrace init` first")
    with Progress(f"prices {args.pair}", enabled=not args.json) as bar:
        def report(phase: str, fraction: float) -> None:
            bar.label = phase
            bar.advance(0)
        result = fetch_klines(ws, args.pair, args.start, args.end, args.interval, actor=f"cli:{getpass.getuser()}",
                              base_url=args.base_url, progress=report)
    text = (f"{result.pair} {result.interval}: {len(result.files)} file(s) fetched, {result.bars_read} bars read, "
            f"{result.bars_added} added" + (f"; not published: {', '.join(result.missing)}" if result.missing else "")
            + ".")
    emit(args, text, result.as_dict())
    return 0
