"""The only writer of chain data: staged columns go into DuckDB in bulk, in one transaction per batch.

Rows travel as Arrow columns (no per-row Python objects reach DuckDB); ``value_u128`` is derived in SQL
from the exact decimal text. Every batch commits together with the checkpoint that covers it, so a
process killed at any moment leaves either the whole batch and its checkpoint, or neither.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from core import sqlfiles
from core.db import rows as fetch_rows
from ingest.chain.decode import TransferColumns

SQL_DIR = Path(__file__).with_name("sql")


CHAIN_SQL = sqlfiles.SqlFiles(SQL_DIR, "chain statement")
sql = CHAIN_SQL.text


def run(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None) -> list[Any]:
    return CHAIN_SQL.tuples(con, name, params)


def query(con: duckdb.DuckDBPyConnection, name: str, params: Mapping[str, Any] | None = None
          ) -> list[dict[str, Any]]:
    return fetch_rows(con, sql(name), dict(params or {}))


def _strings(values: Sequence[str | None]) -> pa.Array:
    """A string column; a constant column (one kind, no trace address ...) is built without a Python loop."""
    n = len(values)
    if n and values[0] is None and values[-1] is None and values.count(None) == n:
        return pa.nulls(n, pa.string())
    if n and values[0] is not None and values.count(values[0]) == n:
        return pa.repeat(pa.scalar(values[0], pa.string()), n)
    return pa.array(values, pa.string())


def transfers_table(cols: TransferColumns, block_times: Mapping[int, int], *,
                    evidence_sha256: str | None = None, source_rows: Sequence[int] | None = None) -> pa.Table:
    n = len(cols)
    return pa.table({
        "block_number": pa.array(cols.block_number, pa.int64()),
        "block_hash": pa.array(cols.block_hash, pa.string()),
        "block_time": pa.array([block_times[b] for b in cols.block_number], pa.int64()),
        "tx_hash": pa.array(cols.tx_hash, pa.string()),
        "log_index": pa.array(cols.log_index, pa.int64()),
        "trace_address": _strings(cols.trace_address),
        "kind": _strings(cols.kind),
        "token": pa.array(cols.token, pa.string()),
        "from_address": pa.array(cols.from_address, pa.string()),
        "to_address": pa.array(cols.to_address, pa.string()),
        "value": pa.array(cols.value, pa.string()),
        "evidence_sha256": pa.repeat(pa.scalar(evidence_sha256, pa.string()), n),
        "source_row": pa.array(source_rows, pa.int64()) if source_rows is not None else pa.nulls(n, pa.int64()),
    })


def blocks_table(blocks: Mapping[int, tuple[str, str, int]]) -> pa.Table:
    """``blocks``: number -> (hash, parent_hash, unix time)."""
    numbers = sorted(blocks)
    return pa.table({
        "number": pa.array(numbers, pa.int64()),
        "hash": pa.array([blocks[n][0] for n in numbers], pa.string()),
        "parent_hash": pa.array([blocks[n][1] for n in numbers], pa.string()),
        "block_time": pa.array([blocks[n][2] for n in numbers], pa.int64()),
    })


def insert_transfers(con: duckdb.DuckDBPyConnection, table: pa.Table, *, chain_id: int, endpoint: str,
                     run_id: str) -> int:
    """Adds the rows of ``table`` not stored yet; returns how many were added."""
    if table.num_rows == 0:
        return 0
    bn = table.column("block_number")
    lo = pc.min(bn).as_py()
    hi = pc.max(bn).as_py()
    con.register("staged_transfers", table)
    try:
        if run(con, "transfers_in_range", {"chain_id": chain_id, "lo": lo, "hi": hi})[0][0]:
            added = run(con, "insert_transfers", {"chain_id": chain_id, "endpoint": endpoint, "run_id": run_id,
                                                  "lo": lo, "hi": hi})
        else:
            added = run(con, "insert_transfers_new_range", {"chain_id": chain_id, "endpoint": endpoint,
                                                            "run_id": run_id})
    finally:
        con.unregister("staged_transfers")
    return int(added[0][0]) if added else 0


def insert_blocks(con: duckdb.DuckDBPyConnection, blocks: Mapping[int, tuple[str, str, int]], *,
                  chain_id: int, endpoint: str, pulled_at: datetime) -> None:
    if not blocks:
        return
    con.register("staged_blocks", blocks_table(blocks))
    try:
        run(con, "insert_blocks", {"chain_id": chain_id, "endpoint": endpoint, "pulled_at": pulled_at})
    finally:
        con.unregister("staged_blocks")
