"""Fetching one chunk of blocks for ``keytrace chain pull`` (:mod:`ingest.chain.pull` plans the chunks and
commits them): ERC-20 ``Transfer`` logs by raw ``eth_getLogs`` with hand-sliced topics, a refused range
split in halves until the node accepts it; native transfers from full blocks (receipts drop failed
transactions); internal transfers from ``trace_filter`` or ``debug_traceBlockByNumber`` when the node
has one.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

from core.errors import RetriableRpcError
from ingest.chain.decode import (
    TRANSFER_TOPIC,
    TransferColumns,
    erc20_rows,
    hexint,
    internal_rows_from_call_tracer,
    internal_rows_from_traces,
    native_candidates,
    native_row,
    topic_for,
)
from ingest.chain.rpc import MethodUnsupported, RangeRefused, RpcClient, SlowOrCut

if TYPE_CHECKING:
    from ingest.chain.pull import PullReport, PullSpec

ADDRESS_GROUP = 50        # addresses per topics filter
BLOCK_BATCH = 25          # full blocks per batch request (memory stays flat on busy chains)


def _groups(items: Sequence[str], size: int) -> Iterator[list[str]]:
    for i in range(0, len(items), size):
        yield list(items[i:i + size])


class ChainMoved(RetriableRpcError):
    """The node's chain changed under a chunk being pulled (a reorg in progress)."""


class ChunkFetcher:
    """The fetching half of a pull; :class:`ingest.chain.pull.ChainPull` sets these attributes."""

    client: RpcClient
    spec: PullSpec
    report: PullReport
    kinds: list[str]
    internal_mode: str | None   # trace_filter | debug_trace | None
    span: int
    _tip: tuple[int, str] | None  # (number, hash) of the last block fetched

    def _fetch_chunk(self, addresses: list[str], lo: int, hi: int
                     ) -> tuple[TransferColumns, dict[int, tuple[str, str, int]], int]:
        out = TransferColumns()
        headers: dict[int, tuple[str, str, int]] = {}
        n_logs = 0
        addr_set = frozenset(addresses)
        if "erc20" in self.kinds:
            all_topics = frozenset(topic_for(a) for a in addresses)
            for group in _groups(addresses, ADDRESS_GROUP):
                topics = [topic_for(a) for a in group]
                for position, flt_topics in ((1, [TRANSFER_TOPIC, topics]), (2, [TRANSFER_TOPIC, None, topics])):
                    flt: dict[str, Any] = {"topics": flt_topics}
                    if self.spec.tokens:
                        flt["address"] = list(self.spec.tokens)
                    logs = self.logs_adaptive(flt, lo, hi)
                    n_logs += len(logs)
                    # receiver pass: a log whose sender is one of ours came with the sender pass
                    erc20_rows(logs, out, skip_senders=all_topics if position == 2 else frozenset())
        if "native" in self.kinds:
            self._native(lo, hi, addr_set, out, headers)
        if "internal" in self.kinds:
            self._internal(addresses, lo, hi, addr_set, out)
        self.report.logs_read += n_logs
        # block headers (time, hash) for every block with a row, and for the chunk's last block, which
        # anchors the checkpoint for the reorg check; and the block before the chunk, which must still be
        # the one the previous chunk ended with
        need = sorted((out.blocks() | {hi} | ({lo - 1} if self._tip else set())) - set(headers))
        if need:
            for b in self.client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in need]):
                if not isinstance(b, dict):
                    raise ChainMoved("a block vanished while it was being pulled")
                headers[hexint(b["number"])] = (b["hash"].lower(), b["parentHash"].lower(),
                                                hexint(b["timestamp"]))
        for n, h in set(zip(out.block_number, out.block_hash, strict=True)):
            if headers[n][0] != h.lower():
                raise ChainMoved(f"block {n} changed while it was being pulled")
        if self._tip and self._tip[0] == lo - 1 and headers[lo - 1][0] != self._tip[1]:
            raise ChainMoved(f"block {lo - 1} changed while the pull went on")
        self._tip = (hi, headers[hi][0])
        keep = out.blocks() | {hi}
        return out, {n: v for n, v in headers.items() if n in keep}, n_logs

    def logs_adaptive(self, flt: dict[str, Any], lo: int, hi: int) -> list[dict[str, Any]]:
        """``eth_getLogs`` over [lo, hi], halving the range whenever the node refuses it (too many
        results, response too large, timeouts). Returns the logs in block order."""
        out: list[dict[str, Any]] = []
        stack = [(lo, hi)]
        while stack:
            a, b = stack.pop()
            body = dict(flt, fromBlock=hex(a), toBlock=hex(b))
            try:
                # a range that keeps timing out or getting cut is probably too big: split it after a few tries
                result = self.client.call("eth_getLogs", [body], slow_attempts=3 if a < b else None)
            except (RangeRefused, SlowOrCut):
                if a == b:
                    raise
                self._shrink(a, b, stack)
                continue
            if not isinstance(result, list):
                raise ChainMoved("eth_getLogs answered with something other than a list")
            out.extend(result)
        return out

    def _shrink(self, a: int, b: int, stack: list[tuple[int, int]]) -> None:
        mid = (a + b) // 2
        stack.append((mid + 1, b))  # popped after the lower half: logs stay in block order
        stack.append((a, mid))
        self.span = max(1, min(self.span, (b - a + 1) // 2))

    def _native(self, lo: int, hi: int, addr_set: frozenset[str], out: TransferColumns,
                headers: dict[int, tuple[str, str, int]]) -> None:
        for start in range(lo, hi + 1, BLOCK_BATCH):
            numbers = list(range(start, min(hi, start + BLOCK_BATCH - 1) + 1))
            blocks = self.client.batch([("eth_getBlockByNumber", [hex(n), True]) for n in numbers])
            self.report.blocks_scanned += len(numbers)
            pending: list[tuple[dict[str, Any], dict[str, Any]]] = []
            for n, block in zip(numbers, blocks, strict=True):
                if not isinstance(block, dict):
                    raise ChainMoved(f"block {n} is missing on the node")
                for tx in native_candidates(block, addr_set):
                    pending.append((block, dict(tx)))
                if n == hi:
                    headers[n] = (block["hash"].lower(), block["parentHash"].lower(), hexint(block["timestamp"]))
            if not pending:
                continue
            receipts = self.client.batch([("eth_getTransactionReceipt", [tx["hash"]]) for _, tx in pending])
            for (block, tx), receipt in zip(pending, receipts, strict=True):
                if not isinstance(receipt, dict) or (receipt.get("blockHash") or "").lower() != block["hash"].lower():
                    raise ChainMoved("a receipt does not belong to the block it was read with")
                native_row(block, tx, receipt, addr_set, out)
                n = hexint(block["number"])
                headers[n] = (block["hash"].lower(), block["parentHash"].lower(), hexint(block["timestamp"]))

    def _internal(self, addresses: list[str], lo: int, hi: int, addr_set: frozenset[str],
                  out: TransferColumns) -> None:
        if self.internal_mode is None:
            self.internal_mode = self._probe_internal(lo)
            if self.internal_mode is None:
                self.kinds.remove("internal")
                self.report.notes.append(
                    f"internal transfers were not pulled: the node at {self.client.endpoint} offers neither "
                    "trace_filter nor debug_traceBlockByNumber (use an archive node with the trace or debug "
                    "API, e.g. Erigon or reth)")
                return
        if self.internal_mode == "trace_filter":
            candidates: set[str] = set()
            for group in _groups(addresses, ADDRESS_GROUP):
                for key in ("fromAddress", "toAddress"):
                    for tr in self._traces_adaptive({key: group}, lo, hi):
                        if tr.get("traceAddress"):
                            candidates.add(tr["transactionHash"])
            if not candidates:
                return
            # the whole trace of each candidate transaction, so calls under a failed frame are dropped
            txs = sorted(candidates)
            full = self.client.batch([("trace_transaction", [tx]) for tx in txs])
            traces = [t for per_tx in full for t in (per_tx or [])]
            internal_rows_from_traces(traces, addr_set, out, set())
        else:
            numbers = list(range(lo, hi + 1))
            for part in _groups([hex(n) for n in numbers], 10):
                calls = [("debug_traceBlockByNumber", [n, {"tracer": "callTracer"}]) for n in part]
                hdrs = self.client.batch([("eth_getBlockByNumber", [n, False]) for n in part])
                for frames, hdr in zip(self.client.batch(calls), hdrs, strict=True):
                    internal_rows_from_call_tracer(hexint(hdr["number"]), hdr["hash"].lower(), frames or [],
                                                   addr_set, out)

    def _probe_internal(self, block: int) -> str | None:
        try:
            self.client.call("trace_filter", [{"fromBlock": hex(block), "toBlock": hex(block),
                                               "toAddress": ["0x" + "0" * 40]}])
            return "trace_filter"
        except MethodUnsupported:
            pass
        try:
            self.client.call("debug_traceBlockByNumber", [hex(block), {"tracer": "callTracer"}])
            return "debug_trace"
        except MethodUnsupported:
            return None

    def _traces_adaptive(self, flt: dict[str, Any], lo: int, hi: int) -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        stack = [(lo, hi)]
        while stack:
            a, b = stack.pop()
            try:
                result = self.client.call("trace_filter", [dict(flt, fromBlock=hex(a), toBlock=hex(b))],
                                          slow_attempts=3 if a < b else None)
            except (RangeRefused, SlowOrCut):
                if a == b:
                    raise
                mid = (a + b) // 2
                stack.append((mid + 1, b))
                stack.append((a, mid))
                continue
            out.extend(result or [])
        return out
