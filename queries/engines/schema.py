"""The Parquet layout of the canonical tables, shared by `keytrace export/import parquet` and Spark.

``DIR/<table>/`` holds one table as Parquet. Trades are Hive-partitioned by exchange and month
(``trades/exchange=binance/month=2022-12/*.parquet``), transfers by chain and block range
(``transfers/chain_id=1/block_range=15000000/*.parquet``, ranges of ``BLOCK_RANGE`` blocks); the other
tables are small and unpartitioned. ``DIR/manifest.json`` names every table with its columns, DuckDB
types and row count, so that a reader knows the schema of an empty table and the partition columns'
types. Every row keeps its provenance columns (evidence_sha256, source_row, ingest_run_id).

``claim_keys`` is not a table of the database: it carries only what detection reads from ``claims``
(exchange, account, key_fingerprint), never a claimant's personal data; it is export-only.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.db import table_columns

BLOCK_RANGE = 100_000
FORMAT_VERSION = 1


@dataclass(frozen=True)
class ParquetTable:
    name: str                           # folder under DIR and the view name on Spark
    source: str                         # database table it comes from
    key: tuple[str, ...]                # what makes a row unique (import adds only rows with a new key)
    partition: tuple[tuple[str, str], ...] = ()   # (column, DuckDB expression) of the Hive partitions
    columns: tuple[str, ...] | None = None        # None: every column of the source table
    importable: bool = True


TRADE_KEY = ("evidence_sha256", "source_row")
TABLES: tuple[ParquetTable, ...] = (
    ParquetTable("accounts", "accounts", ("exchange", "account")),
    ParquetTable("trades", "trades", TRADE_KEY,
                 partition=(("exchange", "exchange"), ("month", "strftime(time_utc, '%Y-%m')"))),
    ParquetTable("orders", "orders", TRADE_KEY),
    # derived from trades, orders and ledger_movements (ingest/reconcile.py): exported for Spark, recomputed
    # on import rather than imported
    ParquetTable("executions", "executions", TRADE_KEY, importable=False),
    ParquetTable("ledger_movements", "ledger_movements", TRADE_KEY),
    ParquetTable("price_bars", "price_bars", ("source", "pair", "interval", "open_time")),
    ParquetTable("bot_orders", "bot_orders", TRADE_KEY),
    ParquetTable("leaks", "leaks", ("leak_id",)),
    ParquetTable("leaked_keys", "leaked_keys", ("fingerprint", "leak_id")),
    ParquetTable("api_keys", "api_keys", ("fingerprint", "exchange")),
    ParquetTable("chain_blocks", "chain_blocks", ("chain_id", "number")),
    ParquetTable("transfers", "transfers", ("chain_id", "tx_hash", "log_index", "trace_address", "kind"),
                 partition=(("chain_id", "chain_id"),
                            ("block_range", f"block_number // {BLOCK_RANGE} * {BLOCK_RANGE}"))),
    ParquetTable("token_metadata", "token_metadata", ("chain_id", "token")),
    ParquetTable("address_labels", "address_labels", ("chain_id", "address", "entity", "category", "source")),
    # the accounts the last DuckDB detection left out (their evidence is disputed): Spark leaves them out too
    ParquetTable("detection_exclusions", "detection_exclusions", ("exchange", "account"), importable=False),
    ParquetTable("claim_keys", "claims", ("exchange", "account", "key_fingerprint"),
                 columns=("exchange", "account", "key_fingerprint"), importable=False),
)
# Columns that are derived on import rather than exchanged (DuckDB-only types).
DERIVED = {"transfers": {"value_u128": "TRY_CAST(value AS UHUGEINT)"}}
# On Spark, claim_keys stands in for claims.
SPARK_VIEW = {"claim_keys": "claims"}


def exchanged_columns(t: ParquetTable) -> list[tuple[str, str]]:
    cols = table_columns(t.source)
    derived = DERIVED.get(t.name, {})
    wanted = t.columns
    return [(c, ty) for c, ty in cols if c not in derived and (wanted is None or c in wanted)]


def spark_type(duckdb_type: str) -> str:
    """The Spark SQL type that holds a DuckDB column type exactly."""
    t = duckdb_type.upper()
    simple = {"VARCHAR": "STRING", "BIGINT": "BIGINT", "INTEGER": "INT", "SMALLINT": "SMALLINT",
              "BOOLEAN": "BOOLEAN", "DATE": "DATE", "DOUBLE": "DOUBLE", "TIMESTAMP WITH TIME ZONE": "TIMESTAMP",
              "TIMESTAMP": "TIMESTAMP_NTZ", "HUGEINT": "DECIMAL(38,0)"}
    if t in simple:
        return simple[t]
    if t.startswith("DECIMAL"):
        return t
    raise ValueError(f"no Spark type for DuckDB type {duckdb_type}")
