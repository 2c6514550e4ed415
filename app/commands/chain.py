"""keytrace chain pull|import: on-chain transfers from a JSON-RPC node or from exported files."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.cli import add_json_flag, emit
from core.errors import KeytraceError, RpcError, UsageError
from core.progress import Progress
from core.workspace import Workspace
from ingest.chain.decode import KINDS

# ingest.chain.pull and .files load web3 (about two seconds): imported when a chain command runs, so
# that every other keytrace command starts fast.


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("chain", help="pull or import on-chain transfers",
                       description="On-chain transfer commands.")
    csub = p.add_subparsers(dest="chain_command", metavar="ACTION")
    csub.required = True
    pl = csub.add_parser(
        "pull", help="pull the transfers of addresses from a JSON-RPC node",
        description="Pull ERC-20, native and internal transfers to or from the given addresses over "
                    "JSON-RPC into the database. The pull commits in batches with a checkpoint: run the "
                    "same command again after an interruption and it resumes without gaps or duplicates. "
                    "Blocks stored earlier whose hash changed on the node (a reorg) are rolled back and "
                    "pulled again. The RPC URL is never stored or shown with its credentials.",
        epilog="Example: keytrace chain pull --rpc http://127.0.0.1:8545 --address 0xabc... "
               "--from-block 15000000 --to-block 15100000 --confirmations 12 --json")
    pl.add_argument("--rpc", required=True, metavar="URL", help="JSON-RPC endpoint (http or https)")
    pl.add_argument("--address", required=True, nargs="+", action="extend", metavar="ADDR",
                    help="addresses whose transfers to pull")
    pl.add_argument("--from-block", required=True, type=int, metavar="N", help="first block")
    pl.add_argument("--to-block", type=int, metavar="M", help="last block (default: the last final block)")
    pl.add_argument("--token", nargs="+", action="extend", default=[], metavar="ADDR",
                    help="only ERC-20 transfers of these token contracts")
    pl.add_argument("--confirmations", type=int, default=0, metavar="K",
                    help="only pull blocks at least K blocks below the head (default 0)")
    pl.add_argument("--follow", type=int, default=0, metavar="N",
                    help="also pull the counterparties found, N hops out (default 0)")
    pl.add_argument("--max-follow", type=int, default=200, metavar="N",
                    help="at most N new addresses per hop (default 200)")
    pl.add_argument("--rps", type=float, default=None, metavar="R",
                    help="at most R requests per second (hosted nodes); default unlimited")
    pl.add_argument("--kinds", default=",".join(KINDS), metavar="LIST",
                    help=f"comma-separated transfer kinds to pull (default {','.join(KINDS)})")
    pl.add_argument("--timeout", type=float, default=30.0, metavar="S", help="seconds per request (default 30)")
    pl.add_argument("--retries", type=int, default=8, metavar="N",
                    help="attempts per request on 429, 5xx, timeouts and dropped connections (default 8)")
    pl.add_argument("--span", type=int, default=50, metavar="BLOCKS",
                    help="blocks per first request; adapts to the density of transfers (default 50)")
    pl.add_argument("--batch-rows", type=int, default=50_000, metavar="N",
                    help="commit (and checkpoint) at least every N transfers (default 50000)")
    add_json_flag(pl)
    pl.set_defaults(func=run_pull)

    im = csub.add_parser(
        "import", help="import Etherscan CSV exports or ethereum-etl outputs",
        description="Import transfers from files investigators already have: Etherscan CSV exports "
                    "(transactions, internal transactions, token transfers) and ethereum-etl outputs "
                    "(token_transfers, transactions, blocks; CSV or JSON lines). Each file is stored as "
                    "evidence; importing the same file again adds nothing.",
        epilog="Example: keytrace chain import export-tokenholdings-0xabc.csv token_transfers.jsonl --json")
    im.add_argument("paths", nargs="+", metavar="PATH", type=Path, help="the files")
    im.add_argument("--chain-id", type=int, default=1, metavar="ID",
                    help="chain the files come from (default 1, Ethereum mainnet)")
    im.add_argument("--decimals", nargs="+", action="extend", default=[], metavar="TOKEN=N",
                    help="decimals of a token, for Etherscan token exports of tokens not pulled yet")
    add_json_flag(im)
    im.set_defaults(func=run_import)


def _workspace(args: argparse.Namespace) -> Workspace:
    ws = Workspace.open(args.db)
    if not ws.db.exists():
        raise UsageError(f"there is no keytrace database at {ws.db.path}; run `keytrace init` first")
    return ws


def run_pull(args: argparse.Namespace) -> int:
    from ingest.chain.decode import normalise_address
    from ingest.chain.pull import PullSpec, pull
    from ingest.chain.rpc import RpcClient

    if args.from_block < 0 or (args.to_block is not None and args.to_block < 0):
        raise UsageError("block numbers cannot be negative")
    if args.confirmations < 0 or args.follow < 0:
        raise UsageError("--confirmations and --follow cannot be negative")
    if args.rps is not None and args.rps <= 0:
        raise UsageError("--rps must be positive")
    kinds = tuple(k.strip() for k in args.kinds.split(",") if k.strip())
    bad = [k for k in kinds if k not in KINDS]
    if bad or not kinds:
        raise UsageError(f"--kinds takes {', '.join(KINDS)}")
    spec = PullSpec(
        addresses=tuple(normalise_address(a) for a in args.address),
        tokens=tuple(normalise_address(t, "token contract") for t in args.token),
        from_block=args.from_block, to_block=args.to_block, confirmations=args.confirmations,
        follow=args.follow, max_follow_addresses=args.max_follow, kinds=kinds, span=args.span,
        commit_rows=args.batch_rows, actor=f"cli:{getpass.getuser()}")
    ws = _workspace(args)
    client = RpcClient(args.rpc, rps=args.rps, timeout=args.timeout, max_attempts=max(1, args.retries))
    total = None if args.to_block is None else max(0, args.to_block - args.from_block + 1) * (args.follow + 1)
    try:
        with Progress(f"pulling from {client.endpoint}", total=total, enabled=not args.json) as bar:
            report = pull(ws, client, spec, on_progress=bar.advance)
    except RpcError as exc:
        raise type(exc)(f"{exc}; every batch committed before this is kept, so running the same command "
                        "again resumes where it stopped") from None
    finally:
        client.close()
    data = report.as_dict()
    added = ", ".join(f"{n} {k}" for k, n in report.added.items())
    text = (f"Pulled blocks {report.from_block}-{report.to_block} of chain {report.chain_id} from "
            f"{report.endpoint}: {sum(report.added.values())} new transfers ({added}); "
            f"{report.found} found in all, the rest were already stored.")
    if len(report.hops) > 1:
        text += "\nFollowed " + ", ".join(f"hop {h['hop']}: {h['addresses']} addresses" for h in report.hops[1:]) + "."
    if report.reorg:
        text += (f"\nReorg repaired: rows above block {report.reorg['kept_up_to_block']} were rolled back "
                 "and pulled again.")
    for note in report.notes:
        text += f"\nNote: {note}."
    emit(args, text, data)
    return 0


def run_import(args: argparse.Namespace) -> int:
    from ingest.chain.decode import normalise_address
    from ingest.chain.files import import_file

    decimals: dict[str, int] = {}
    for item in args.decimals:
        token, _, n = item.partition("=")
        if not n.isdigit() or int(n) > 77:
            raise UsageError(f"--decimals takes TOKEN=N with N from 0 to 77, not {item!r}")
        decimals[normalise_address(token, "token contract")] = int(n)
    ws = _workspace(args)
    results: list[dict[str, object]] = []
    lines: list[str] = []
    failures = 0
    for path in args.paths:
        try:
            res = import_file(ws, path, chain_id=args.chain_id, actor=f"cli:{getpass.getuser()}",
                              decimals=decimals)
        except KeytraceError as exc:
            if len(args.paths) == 1:
                raise
            failures += 1
            sys.stderr.write(f"keytrace: {exc}\n")
            results.append({"source_name": path.name, "error": str(exc)})
            continue
        results.append(res.as_dict())
        lines.append(f"{path.name}: {res.format}: {res.rows_read} rows read, {res.rows_added} transfers added"
                     + (f", {res.rows_skipped} skipped ({'; '.join(res.skipped)})" if res.rows_skipped else ""))
    emit(args, "\n".join(lines) if lines else "Nothing imported.", results)
    return 1 if failures else 0
