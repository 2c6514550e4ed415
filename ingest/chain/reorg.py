"""Reorg repair: a stored block whose hash no longer matches the node's is rolled back with its rows.

Block hashes chain: when the highest pulled block still matches the node, every block below it does
too, so one comparison is enough in the usual case. When it does not, the stored blocks are compared
from the top down until one matches; everything pulled above that block (transfers, blocks) is deleted
and every checkpoint of the chain is moved back to it, in one transaction, so the next pull fetches
those blocks again from the node's current chain. Rows imported from files are not touched.
"""

from __future__ import annotations

from typing import Any

from core import audit
from core.workspace import Workspace
from ingest.chain import store
from ingest.chain.rpc import RpcClient

PAGE = 64


def node_hashes(client: RpcClient, numbers: list[int], head: int) -> dict[int, str | None]:
    wanted = [n for n in numbers if n <= head]
    blocks = client.batch([("eth_getBlockByNumber", [hex(n), False]) for n in wanted])
    out: dict[int, str | None] = {n: None for n in numbers}
    for n, b in zip(wanted, blocks, strict=True):
        out[n] = b["hash"].lower() if isinstance(b, dict) and b.get("hash") else None
    return out


def find_fork(ws: Workspace, client: RpcClient, chain_id: int) -> int | None:
    """The highest pulled block that still matches the node, when a block above it does not; None when
    everything stored matches (or nothing is stored). -1: no stored block matches at all."""
    head = client.block_number()
    below = 2 ** 62
    first_page = True
    while True:
        with ws.db.read() as con:
            page = store.query(con, "pulled_blocks_desc", {"chain_id": chain_id, "below": below,
                                                           "limit": 1 if first_page else PAGE})
        if not page:
            return None if first_page else -1
        numbers = [int(r["number"]) for r in page]
        hashes = node_hashes(client, numbers, head)
        for r in page:
            if hashes[int(r["number"])] == r["hash"]:
                return None if first_page else int(r["number"])
        first_page = False
        below = numbers[-1]


def repair(ws: Workspace, client: RpcClient, chain_id: int, *, actor: str) -> dict[str, Any] | None:
    """Roll back everything pulled above the fork point; returns what was done, or None."""
    keep = find_fork(ws, client, chain_id)
    if keep is None:
        return None
    params = {"chain_id": chain_id, "keep_up_to": keep}
    with ws.db.write() as con:
        removed = store.run(con, "rollback_transfers", params)
        blocks = store.run(con, "rollback_blocks", params)
        store.run(con, "rollback_checkpoints_empty", params)
        store.run(con, "rollback_checkpoints", params)
        done = {"chain_id": chain_id, "kept_up_to_block": keep,
                "transfers_removed": int(removed[0][0]) if removed else 0,
                "blocks_removed": int(blocks[0][0]) if blocks else 0}
        audit.record(con, ws.keys, ws.settings, actor=actor, action="chain.reorg_rollback",
                     obj=f"chain:{chain_id}", details=done)
    return done
