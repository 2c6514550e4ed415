"""Pure decoders: JSON-RPC answers (and ethereum-etl items) to transfer rows. No I/O here.

The hot path is :func:`erc20_rows`: it reads ``topics`` and ``data`` by slicing the hex strings (an
address is the last 40 hex digits of a 32-byte topic; the value is the 64 hex digits of ``data``), which
is about 20 times faster than web3's event decoding and exact for every uint256.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.errors import InputError

KINDS = ("erc20", "native", "internal")
TRANSFER_TOPIC = "0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"
ZERO_ADDRESS = "0x" + "0" * 40
_PAD = "0x000000000000000000000000"


def normalise_address(text: str, what: str = "address") -> str:
    a = text.strip().lower()
    if len(a) != 42 or not a.startswith("0x") or any(c not in "0123456789abcdef" for c in a[2:]):
        raise InputError(f"{text!r} is not an EVM {what} (0x followed by 40 hex digits)")
    return a


def hexint(value: Any) -> int:
    """A JSON-RPC quantity (``0x``-hex string, or an int some nodes send) as int."""
    if isinstance(value, int):
        return value
    return int(value, 16)


def topic_for(address: str) -> str:
    """The 32-byte topic that holds ``address`` in an indexed event argument."""
    return _PAD + address[2:].lower()


@dataclass
class TransferColumns:
    """Transfer rows in columns, ready for a bulk insert (see ingest.chain.store)."""

    block_number: list[int] = field(default_factory=list)
    block_hash: list[str] = field(default_factory=list)
    tx_hash: list[str] = field(default_factory=list)
    log_index: list[int | None] = field(default_factory=list)
    trace_address: list[str | None] = field(default_factory=list)
    kind: list[str] = field(default_factory=list)
    token: list[str] = field(default_factory=list)
    from_address: list[str] = field(default_factory=list)
    to_address: list[str] = field(default_factory=list)
    value: list[str] = field(default_factory=list)
    skipped: dict[str, int] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.tx_hash)

    def add(self, block_number: int, block_hash: str, tx_hash: str, log_index: int | None,
            trace_address: str | None, kind: str, token: str, from_address: str, to_address: str,
            value: int) -> None:
        self.block_number.append(block_number)
        self.block_hash.append(block_hash)
        self.tx_hash.append(tx_hash)
        self.log_index.append(log_index)
        self.trace_address.append(trace_address)
        self.kind.append(kind)
        self.token.append(token)
        self.from_address.append(from_address)
        self.to_address.append(to_address)
        self.value.append(str(value))

    def skip(self, reason: str, n: int = 1) -> None:
        self.skipped[reason] = self.skipped.get(reason, 0) + n

    def extend(self, other: TransferColumns) -> None:
        for name in ("block_number", "block_hash", "tx_hash", "log_index", "trace_address", "kind", "token",
                     "from_address", "to_address", "value"):
            getattr(self, name).extend(getattr(other, name))
        for k, v in other.skipped.items():
            self.skip(k, v)

    def blocks(self) -> set[int]:
        return set(self.block_number)


def erc20_rows(logs: Iterable[Mapping[str, Any]], out: TransferColumns,
               seen: set[tuple[str, int]] | None = None, skip_senders: frozenset[str] = frozenset()) -> None:
    """Append the ERC-20 ``Transfer(address,address,uint256)`` logs among ``logs`` to ``out``.

    Skipped (and counted in ``out.skipped``): removed logs, ERC-721 transfers (the id is indexed, so
    four topics), logs whose data is not one 32-byte word, topics that are not padded addresses.
    Logs already taken are dropped: ``skip_senders`` (sender topics already fetched by a sender
    filter, so a self-transfer found by both filters is kept once) and ``seen`` (tx hash, log index).
    Hex strings are taken as the node sends them; the store lower-cases them in bulk.
    """
    add_bn = out.block_number.append
    add_bh = out.block_hash.append
    add_tx = out.tx_hash.append
    add_li = out.log_index.append
    add_ta = out.trace_address.append
    add_kind = out.kind.append
    add_token = out.token.append
    add_from = out.from_address.append
    add_to = out.to_address.append
    add_value = out.value.append
    for log in logs:
        topics = log["topics"]
        if len(topics) != 3 or topics[0] != TRANSFER_TOPIC:
            if len(topics) == 4 and topics[0] == TRANSFER_TOPIC:
                out.skip("ERC-721 Transfer (token id, not an amount)")
            elif topics and topics[0] != TRANSFER_TOPIC:
                out.skip("not a Transfer event")
            else:
                out.skip("Transfer with an unexpected number of topics")
            continue
        if log.get("removed"):
            out.skip("removed by a reorg")
            continue
        data = log["data"]
        t1 = topics[1]
        t2 = topics[2]
        if len(data) != 66 or not t1.startswith(_PAD) or not t2.startswith(_PAD):
            out.skip("malformed Transfer (data not one word, or topics not addresses)")
            continue
        if t1 in skip_senders:
            continue
        li = log["logIndex"]
        li = int(li, 16) if isinstance(li, str) else int(li)
        if seen is not None:
            key = (log["transactionHash"].lower(), li)
            if key in seen:
                continue
            seen.add(key)
        bn = log["blockNumber"]
        add_bn(int(bn, 16) if isinstance(bn, str) else int(bn))
        add_bh(log["blockHash"])
        add_tx(log["transactionHash"])
        add_li(li)
        add_ta(None)
        add_kind("erc20")
        add_token(log["address"])
        add_from("0x" + t1[26:])
        add_to("0x" + t2[26:])
        add_value(str(int(data, 16)))


def native_candidates(block: Mapping[str, Any], addresses: frozenset[str]) -> list[Mapping[str, Any]]:
    """Transactions of a full block (``eth_getBlockByNumber(n, true)``) that move ether to or from one
    of ``addresses``. Their receipts decide whether the value actually moved."""
    out = []
    for tx in block.get("transactions") or []:
        if not isinstance(tx, Mapping):
            continue
        if hexint(tx.get("value") or "0x0") == 0:
            continue
        frm = (tx.get("from") or "").lower()
        to = (tx.get("to") or "").lower()
        if frm in addresses or to in addresses or not to:
            out.append(tx)
    return out


def native_row(block: Mapping[str, Any], tx: Mapping[str, Any], receipt: Mapping[str, Any] | None,
               addresses: frozenset[str], out: TransferColumns) -> None:
    """One top-level ether transfer, unless its transaction failed (receipt status 0)."""
    if receipt is not None and receipt.get("status") not in (None, "0x1", 1):
        out.skip("failed transaction (no value moved)")
        return
    to = (tx.get("to") or "").lower()
    if not to:  # contract creation: the value goes to the new contract
        to = ((receipt or {}).get("contractAddress") or "").lower()
        if not to:
            out.skip("contract creation without a receipt")
            return
    frm = tx["from"].lower()
    if frm not in addresses and to not in addresses:
        return
    out.add(hexint(block["number"]), block["hash"].lower(), tx["hash"].lower(), None, "", "native", "native",
            frm, to, hexint(tx["value"]))


def internal_rows_from_traces(traces: Sequence[Mapping[str, Any]], addresses: frozenset[str],
                              out: TransferColumns, seen: set[tuple[str, str]]) -> None:
    """Value-moving internal calls from complete transaction traces (``trace_transaction`` or
    ``trace_block``; Parity/OpenEthereum format).

    Top-level calls (empty ``traceAddress``) are the native transfers and are left to
    :func:`native_row`. A frame that failed (``error``) moved nothing, and neither did anything below
    it, so every trace under a failed frame is skipped (a failed top-level call fails the whole
    transaction). ``delegatecall`` and ``staticcall`` move nothing; self-destructs move the balance to
    the refund address.
    """
    failed: dict[str, list[tuple[int, ...]]] = {}
    for tr in traces:
        if tr.get("error"):
            failed.setdefault(tr["transactionHash"].lower(), []).append(tuple(tr.get("traceAddress") or []))
    for tr in traces:
        trace_address = tuple(tr.get("traceAddress") or [])
        if not trace_address:
            continue
        tx = tr["transactionHash"].lower()
        if any(trace_address[:len(f)] == f for f in failed.get(tx, ())):
            continue
        action = tr.get("action") or {}
        kind = tr.get("type")
        if kind == "call":
            if (action.get("callType") or "call") != "call":
                continue
            frm, to, value = action.get("from"), action.get("to"), action.get("value")
        elif kind == "create":
            frm, to, value = action.get("from"), (tr.get("result") or {}).get("address"), action.get("value")
        elif kind in ("suicide", "selfdestruct"):
            frm, to, value = action.get("address"), action.get("refundAddress"), action.get("balance")
        else:
            continue
        if not frm or not to or value is None:
            continue
        amount = hexint(value)
        if amount == 0:
            continue
        frm, to = frm.lower(), to.lower()
        if frm not in addresses and to not in addresses:
            continue
        path = ",".join(str(i) for i in trace_address)
        if (tx, path) in seen:
            continue
        seen.add((tx, path))
        out.add(hexint(tr["blockNumber"]), tr["blockHash"].lower(), tx, None, path, "internal", "native",
                frm, to, amount)


def internal_rows_from_call_tracer(block_number: int, block_hash: str, frames: Sequence[Mapping[str, Any]],
                                   addresses: frozenset[str], out: TransferColumns) -> None:
    """Value-moving internal calls from ``debug_traceBlockByNumber`` with the ``callTracer``."""

    def walk(frame: Mapping[str, Any], path: list[int], tx: str) -> None:
        for i, child in enumerate(frame.get("calls") or []):
            here = [*path, i]
            ctype = (child.get("type") or "").upper()
            if not child.get("error") and ctype in ("CALL", "CREATE", "CREATE2", "SELFDESTRUCT"):
                value = hexint(child.get("value") or "0x0")
                frm = (child.get("from") or "").lower()
                to = (child.get("to") or "").lower()
                if value and frm and to and (frm in addresses or to in addresses):
                    out.add(block_number, block_hash, tx, None, ",".join(map(str, here)), "internal", "native",
                            frm, to, value)
            if not child.get("error"):
                walk(child, here, tx)

    for item in frames:
        tx = (item.get("txHash") or "").lower()
        result = item.get("result") or {}
        if tx and not result.get("error"):
            walk(result, [], tx)
