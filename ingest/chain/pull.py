"""``keytrace chain pull``: transfers of a set of addresses, from a JSON-RPC node into DuckDB.

The job walks the block range in chunks. For each chunk it fetches

* ERC-20 ``Transfer`` logs with the addresses as sender (topics[1]) or receiver (topics[2]), optionally
  limited to some token contracts, with raw ``eth_getLogs`` calls; a range the node refuses is split in
  halves until it is accepted (see :func:`logs_adaptive`);
* native transfers from the blocks' transactions (``eth_getBlockByNumber(n, true)``, with receipts to
  drop failed transactions);
* internal transfers from ``trace_filter`` (or ``debug_traceBlockByNumber``), when the node offers one;
  otherwise the report says that internal transfers were not pulled.

Fetching a chunk (logs, blocks, traces, and the adaptive splitting of a refused range) is
:class:`ingest.chain.fetch.ChunkFetcher`; this module plans the chunks per address set and checkpoint,
and commits them. Rows are kept in columns and committed in batches, each together with the checkpoint that covers it
(:mod:`ingest.chain.store`), so a killed pull resumes where the last commit ended: no gap, no duplicate.
Only blocks at least ``confirmations`` below the head are pulled; before pulling, the stored blocks are
compared with the node's and a reorg is rolled back (:mod:`ingest.chain.reorg`).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from core import audit
from core.db import utcnow
from core.errors import RpcError, UsageError
from core.workspace import Workspace
from ingest.chain import metadata, reorg, store
from ingest.chain.decode import (
    KINDS,
    TransferColumns,
)
from ingest.chain.fetch import ChainMoved, ChunkFetcher
from ingest.chain.rpc import RpcClient

TARGET_LOGS = 10_000      # aim for about this many logs per eth_getLogs call
MAX_SPAN = 50_000


def scope_of(addresses: Sequence[str], tokens: Sequence[str]) -> str:
    """The checkpoint scope: a hash of the sorted address set and token filter."""
    body = json.dumps([sorted(set(addresses)), sorted(set(tokens))], separators=(",", ":"))
    return hashlib.sha256(body.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class PullSpec:
    addresses: tuple[str, ...]
    from_block: int
    to_block: int | None = None
    tokens: tuple[str, ...] = ()
    confirmations: int = 0
    follow: int = 0
    kinds: tuple[str, ...] = KINDS
    max_follow_addresses: int = 200
    span: int = 50
    max_span: int = MAX_SPAN
    commit_rows: int = 50_000
    actor: str = "cli"


@dataclass
class PullReport:
    chain_id: int = 0
    endpoint: str = ""
    from_block: int = 0
    to_block: int = 0
    head: int = 0
    run_id: str = ""
    added: dict[str, int] = field(default_factory=lambda: {k: 0 for k in KINDS})
    found: int = 0
    logs_read: int = 0
    blocks_scanned: int = 0
    hops: list[dict[str, Any]] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    reorg: dict[str, Any] | None = None
    tokens_described: int = 0
    rpc_calls: int = 0
    rpc_retries: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__dataclass_fields__}


class ChainPull(ChunkFetcher):
    def __init__(self, ws: Workspace, client: RpcClient, spec: PullSpec,
                 on_progress: Callable[[int], None] | None = None) -> None:
        if not spec.addresses:
            raise UsageError("give at least one --address")
        unknown = set(spec.kinds) - set(KINDS)
        if unknown:
            raise UsageError(f"unknown transfer kind {sorted(unknown)[0]!r} (known: {', '.join(KINDS)})")
        self.ws = ws
        self.client = client
        self.spec = spec
        self.on_progress = on_progress or (lambda n: None)
        self.report = PullReport(endpoint=client.endpoint, run_id=str(uuid.uuid4()))
        self.kinds = list(spec.kinds)
        self.internal_mode: str | None = None  # trace_filter | debug_trace | None
        self.span = max(1, min(spec.span, spec.max_span))
        self._moved = 0
        self._tip: tuple[int, str] | None = None  # (number, hash) of the last block fetched

    # -- entry point --------------------------------------------------------------------------
    def run(self) -> PullReport:
        r = self.report
        r.chain_id = self.client.chain_id()
        r.reorg = reorg.repair(self.ws, self.client, r.chain_id, actor=self.spec.actor)
        r.head = self.client.block_number()
        safe = r.head - self.spec.confirmations
        to_block = safe if self.spec.to_block is None else min(self.spec.to_block, safe)
        if self.spec.to_block is not None and self.spec.to_block > safe:
            r.notes.append(f"blocks above {safe} have fewer than {self.spec.confirmations} confirmations "
                           f"and are not final; pulled up to block {safe}")
        r.from_block, r.to_block = self.spec.from_block, to_block
        if to_block < self.spec.from_block:
            r.notes.append("nothing to pull: the range ends before it starts")
            return r
        self._start_run()
        addresses = sorted(set(self.spec.addresses))
        done: set[str] = set()
        for hop in range(self.spec.follow + 1):
            self._pull_scope(addresses, self.spec.from_block, to_block)
            done.update(addresses)
            r.hops.append({"hop": hop, "addresses": len(addresses)})
            if hop == self.spec.follow:
                break
            addresses = self._counterparties(sorted(done), self.spec.from_block, to_block, done)
            if not addresses:
                break
        self._describe_tokens()
        with self.ws.db.read() as con:
            for kind, n in store.run(con, "run_added_by_kind", {"run_id": r.run_id}):
                r.added[str(kind)] = int(n)
        with self.ws.db.write() as con:
            store.run(con, "ingest_run_progress", {"run_id": r.run_id, "rows_read": 0, "rows_added": 0,
                                                   "finished_at": utcnow(),
                                                   "status": "committed" if sum(r.added.values()) else "no_change"})
        r.rpc_calls, r.rpc_retries = self.client.calls, self.client.retries
        return r

    def _start_run(self) -> None:
        desc = json.dumps({"endpoint": self.client.endpoint, "chain_id": self.report.chain_id,
                           "addresses": sorted(self.spec.addresses), "tokens": sorted(self.spec.tokens),
                           "from": self.spec.from_block, "to": self.report.to_block}, sort_keys=True)
        with self.ws.db.write() as con:
            store.run(con, "ingest_run_start", {
                "run_id": self.report.run_id, "started_at": utcnow(), "actor": self.spec.actor,
                # a pull has no evidence file: this is the hash of what was asked of which node
                "evidence_sha256": hashlib.sha256(desc.encode()).hexdigest(),
                "source_name": self.client.endpoint, "format": "jsonrpc_pull"})

    # -- one address set ----------------------------------------------------------------------
    def _pull_scope(self, addresses: list[str], first: int, last: int) -> None:
        scope = scope_of(addresses, self.spec.tokens)
        while True:
            cp = self._checkpoint(scope)
            try:
                for seg_lo, seg_hi, on_done in self._plan(cp, first, last):
                    self._pull_range(addresses, scope, seg_lo, seg_hi, on_done)
                return
            except _RolledBack:
                # a reorg during the pull removed blocks this run had committed: plan again from the
                # moved checkpoint, so the rolled-back blocks are pulled again and nothing is skipped
                continue

    def _checkpoint(self, scope: str) -> tuple[int, int] | None:
        """The range every requested kind has stored (the intersection), or None."""
        lo, hi = -1, 2 ** 62
        with self.ws.db.read() as con:
            for kind in self.kinds:
                got = store.query(con, "checkpoint_get", {"chain_id": self.report.chain_id, "scope": scope,
                                                          "kind": kind})
                if not got or got[0]["first_block"] is None:
                    return None
                lo = max(lo, int(got[0]["first_block"]))
                hi = min(hi, int(got[0]["last_block"]))
        return (lo, hi) if lo <= hi else None

    @staticmethod
    def _plan(cp: tuple[int, int] | None, first: int, last: int
              ) -> list[tuple[int, int, Callable[[int], tuple[int, int] | None]]]:
        """Segments to pull, each with a function from "stored up to block x" to the new checkpoint
        (None: leave the checkpoint as it is, because the stored blocks are not contiguous yet)."""
        if cp is None or first > cp[1] + 1:
            return [(first, last, lambda x: (first, x))]
        cp_lo, cp_hi = cp
        out: list[tuple[int, int, Callable[[int], tuple[int, int] | None]]] = []
        start = cp_lo
        if first < cp_lo:
            gap_end = min(cp_lo - 1, last)
            # the gap below the stored range: the checkpoint can only grow once the gap is closed
            out.append((first, gap_end, lambda x: (first, cp_hi) if x >= cp_lo - 1 else None))
            start = first
        if last > cp_hi:
            out.append((cp_hi + 1, last, lambda x: (start, x)))
        return out

    def _pull_range(self, addresses: list[str], scope: str, lo: int, hi: int,
                    on_done: Callable[[int], tuple[int, int] | None]) -> None:
        """Fetch chunk after chunk while the previous one is written: one fetch runs in a worker
        thread (network, JSON, decoding) while this thread commits to DuckDB. Chunks are taken in
        order, so the checkpoint always covers a contiguous prefix."""
        buf = TransferColumns()
        blocks: dict[int, tuple[str, str, int]] = {}
        self._tip = None
        with ThreadPoolExecutor(max_workers=1, thread_name_prefix="chain-fetch") as pool:
            cur = (lo, min(hi, lo + self.span - 1))
            future = pool.submit(self._fetch_chunk, addresses, *cur)
            while True:
                try:
                    chunk, chunk_blocks, n_logs = future.result()
                except ChainMoved:
                    # the node's chain changed under the pull: repair what was stored, drop what was not
                    # committed yet, and plan again from the checkpoint
                    self._moved += 1
                    if self._moved > 5:
                        raise
                    repaired = reorg.repair(self.ws, self.client, self.report.chain_id, actor=self.spec.actor)
                    self.report.reorg = repaired or self.report.reorg
                    raise _RolledBack() from None
                # adapt the span to the density of logs so each call stays near TARGET_LOGS
                if n_logs < TARGET_LOGS // 4 and self.span < self.spec.max_span:
                    self.span = min(self.spec.max_span, self.span * 2)
                elif n_logs > TARGET_LOGS and self.span > 1:
                    self.span = max(1, self.span * TARGET_LOGS // n_logs)
                done = cur
                last = done[1] >= hi
                if not last:  # start the next fetch before writing this chunk
                    cur = (done[1] + 1, min(hi, done[1] + self.span))
                    future = pool.submit(self._fetch_chunk, addresses, *cur)
                buf.extend(chunk)
                blocks.update(chunk_blocks)
                self.on_progress(done[1] - done[0] + 1)
                if len(buf) >= self.spec.commit_rows or last:
                    self._commit(buf, blocks, scope, on_done(done[1]))
                    buf = TransferColumns()
                    blocks = {}
                if last:
                    break

    # -- writing ------------------------------------------------------------------------------
    def _commit(self, buf: TransferColumns, blocks: dict[int, tuple[str, str, int]], scope: str,
                new_cp: tuple[int, int] | None) -> None:
        r = self.report
        times = {n: v[2] for n, v in blocks.items()}
        table = store.transfers_table(buf, times)
        for reason, n in buf.skipped.items():
            r.skipped[reason] = r.skipped.get(reason, 0) + n
        now = utcnow()
        with self.ws.db.write() as con:
            store.insert_blocks(con, blocks, chain_id=r.chain_id, endpoint=r.endpoint, pulled_at=now)
            added = store.insert_transfers(con, table, chain_id=r.chain_id, endpoint=r.endpoint,
                                           run_id=r.run_id)
            if new_cp is not None:
                for kind in self.kinds:
                    store.run(con, "checkpoint_set", {"chain_id": r.chain_id, "scope": scope, "kind": kind,
                                                      "first_block": new_cp[0], "last_block": new_cp[1],
                                                      "updated_at": now})
            store.run(con, "ingest_run_progress", {"run_id": r.run_id, "rows_read": len(buf),
                                                   "rows_added": added, "finished_at": now,
                                                   "status": "committed"})
            audit.record(con, self.ws.keys, self.ws.settings, actor=self.spec.actor, action="chain.pull",
                         obj=f"chain:{r.chain_id}",
                         details={"run_id": r.run_id, "endpoint": r.endpoint, "scope": scope,
                                  "checkpoint": list(new_cp) if new_cp else None, "rows_found": len(buf),
                                  "rows_added": added})
        r.found += len(buf)

    # -- follow and metadata ------------------------------------------------------------------
    def _counterparties(self, done: list[str], lo: int, hi: int, exclude: set[str]) -> list[str]:
        with self.ws.db.read() as con:
            found = store.query(con, "counterparties", {"chain_id": self.report.chain_id, "addresses": done,
                                                        "lo": lo, "hi": hi})
        tokens = set(self.spec.tokens)
        labelled = sorted({f"{f['labelled_as']}" for f in found if f["labelled_as"] is not None})
        if labelled:
            self.report.notes.append("--follow stopped at labelled addresses (" + ", ".join(labelled[:5])
                                     + (", ..." if len(labelled) > 5 else "") + ")")
        new = [str(f["address"]) for f in found if f["address"] not in exclude and f["address"] not in tokens
               and f["labelled_as"] is None]
        limit = self.spec.max_follow_addresses
        if len(new) > limit:
            self.report.notes.append(f"--follow found {len(new)} new counterparties; followed the {limit} "
                                     "with the most transfers")
            new = new[:limit]
        return sorted(new)

    def _describe_tokens(self) -> None:
        with self.ws.db.read() as con:
            todo = [str(r["token"]) for r in store.query(con, "tokens_without_metadata",
                                                         {"chain_id": self.report.chain_id})]
        if not todo:
            return
        try:
            described = metadata.fetch(self.client, todo)
        except RpcError as exc:  # the transfers are stored; metadata can be read on the next pull
            self.report.notes.append(f"token metadata was not read ({exc}); the next pull tries again")
            return
        with self.ws.db.write() as con:
            for m in described:
                store.run(con, "token_metadata_set", {"chain_id": self.report.chain_id, "token": m.token,
                                                      "symbol": m.symbol, "name": m.name,
                                                      "decimals": m.decimals, "note": m.note})
        self.report.tokens_described = len(described)


class _RolledBack(Exception):
    """Internal: a reorg repair moved checkpoints back while a range was being pulled."""


def pull(ws: Workspace, client: RpcClient, spec: PullSpec,
         on_progress: Callable[[int], None] | None = None) -> PullReport:
    return ChainPull(ws, client, spec, on_progress).run()
