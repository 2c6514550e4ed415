"""Run detection and tracing on Apache Spark, over the Parquet written by `keytrace export parquet`.

The queries are the ``queries/sql`` files, translated at run time (``dialect``). Detection runs the
same steps in the same order as ``queries.detect``; each step's rows are cast to the findings table's
column types (as DuckDB's ``INSERT ... BY NAME`` does) and kept as a checkpointed temporary view for the
next step. Tracing runs ``queries.trace.compute`` unchanged: its hop expansion is one join per hop, which
it sends through ``SparkConnection``, a DuckDB-connection look-alike that translates and runs each query
on Spark and returns the rows as DuckDB would (tz-aware UTC datetimes, exact Decimals).

Session settings that keep the results identical to DuckDB's: the session time zone is UTC; decimal
arithmetic never loses precision (``spark.sql.decimalOperations.allowPrecisionLoss=false``: a product of
two DECIMAL(38,s) keeps its full scale or fails, as in DuckDB); ANSI mode on (overflow is an error, not
NULL).
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import duckdb
import pyarrow as pa
from pyspark.sql import DataFrame, SparkSession
from pyspark.sql import functions as F

from core.db import table_columns
from core.errors import InputError
from queries import runner
from queries import trace as tracing
from queries.detect import STEPS, TABLES, bound
from queries.engines import dialect
from queries.engines.schema import SPARK_VIEW, spark_type
from queries.engines.schema import TABLES as PARQUET_TABLES

SESSION_CONF = {
    "spark.sql.session.timeZone": "UTC",
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.ansi.enabled": "true",
    "spark.sql.sources.partitionColumnTypeInference.enabled": "false",
    "spark.sql.execution.arrow.pyspark.enabled": "true",
    # UTC-adjusted microsecond timestamps in the findings Parquet (not the legacy INT96)
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
    "spark.ui.enabled": "false",
    "spark.driver.extraJavaOptions": "-Duser.timezone=UTC",
    "spark.executor.extraJavaOptions": "-Duser.timezone=UTC",
}


def session(master: str | None = None, shuffle_partitions: int | None = None,
            extra: dict[str, str] | None = None) -> SparkSession:
    """A Spark session with the settings above. Under spark-submit the master comes from the submit;
    otherwise ``master`` (default ``local[*]``)."""
    from pyspark import SparkConf

    builder = SparkSession.builder.appName("keytrace")
    if master is not None or not SparkConf().contains("spark.master"):
        builder = builder.master(master or "local[*]")
    conf = dict(SESSION_CONF)
    if shuffle_partitions is not None:
        conf["spark.sql.shuffle.partitions"] = str(shuffle_partitions)
    conf.update(extra or {})
    for k, v in conf.items():
        builder = builder.config(k, v)
    spark = builder.getOrCreate()
    for k, v in conf.items():
        if not k.startswith(("spark.driver.", "spark.executor.", "spark.ui.")):
            spark.conf.set(k, v)
    return spark


def _manifest(spark: SparkSession, root: str) -> dict[str, Any]:
    path = root.rstrip("/") + "/manifest.json"
    if "://" not in root:
        local = Path(root) / "manifest.json"
        if not local.is_file():
            raise InputError(f"{root} holds no manifest.json; write it with `keytrace export parquet`")
        data: dict[str, Any] = json.loads(local.read_text())
    else:
        text = "\n".join(r.value for r in spark.read.text(path, wholetext=True).collect())
        data = json.loads(text)
    if data.get("format") != "keytrace-parquet":
        raise InputError(f"{path} is not a keytrace Parquet manifest")
    return data


def register_input(spark: SparkSession, root: str | Path) -> dict[str, int]:
    """Register every table of a `keytrace export parquet` folder as a temporary view; row counts."""
    base = str(root)
    manifest = _manifest(spark, base)
    counts: dict[str, int] = {}
    for t in PARQUET_TABLES:
        entry = manifest["tables"].get(t.name)
        if entry is None and not t.importable and t.name == "detection_exclusions":
            entry = {"rows": 0, "columns": [{"name": c, "type": ty} for c, ty in table_columns(t.source)]}
        if entry is None:
            raise InputError(f"{base}/manifest.json does not list the table {t.name}")
        columns: list[tuple[str, str]] = [(c["name"], c["type"]) for c in entry["columns"]]
        ddl = ", ".join(f"`{c}` {spark_type(ty)}" for c, ty in columns)
        if int(entry["rows"]) == 0:
            df = spark.createDataFrame([], ddl)
        else:
            path = f"{base.rstrip('/')}/{t.name}"
            df = spark.read.option("basePath", path).parquet(path)
            df = df.select(*[F.col(f"`{c}`").cast(spark_type(ty)).alias(c) for c, ty in columns])
        if t.name in ("executions", "transfers"):
            df = df.cache()
        df.createOrReplaceTempView(SPARK_VIEW.get(t.name, t.name))
        counts[t.name] = int(entry["rows"])
    return counts


def _conform(df: DataFrame, table: str) -> DataFrame:
    have = {c.lower(): c for c in df.columns}
    cols = []
    for name, ty in table_columns(table):
        src = have.get(name.lower())
        col = F.col(f"`{src}`") if src is not None else F.lit(None)
        cols.append(col.cast(spark_type(ty)).alias(name))
    return df.select(*cols)


def _sql(spark: SparkSession, text: str, bound: dict[str, Any]) -> DataFrame:
    args = {k: v for k, v in bound.items() if re.search(rf":{k}\b", text)}
    return spark.sql(text, args=args or None)


def run_query(spark: SparkSession, name: str, params: dict[str, Any] | None = None) -> DataFrame:
    """A ``queries/sql`` file run on Spark (an UPDATE gives the updated table's new rows).

    Its top-level CTEs become temporary views ``kt_<query>__<cte>``; those read more than once are
    materialised (checkpointed) first, since Spark would otherwise compute them again at every reference.
    """
    sql = runner.load(name)
    bound = runner.bind(sql, params)
    target = dialect.updated_table(sql)
    columns = spark.table(target).columns if target else None
    steps, final = dialect.to_spark_steps(sql, f"kt_{name.replace('/', '_')}__", columns)
    for view, text, refs in steps:
        df = _sql(spark, text, bound)
        if refs > 1:
            df = df.localCheckpoint()
        df.createOrReplaceTempView(view)
    return _sql(spark, final, bound)


@dataclass(frozen=True)
class SparkDetection:
    tables: dict[str, DataFrame]
    trades_scored: int
    unauthorized: int
    accounts: int
    campaigns: int
    compromised_keys: int
    loss_usd: str
    seconds: float

    def as_dict(self) -> dict[str, Any]:
        return {"engine": "spark", "trades_scored": self.trades_scored, "unauthorized": self.unauthorized,
                "accounts": self.accounts, "campaigns": self.campaigns,
                "compromised_keys": self.compromised_keys, "loss_usd": self.loss_usd,
                "seconds": round(self.seconds, 2)}


def detect(spark: SparkSession, params: dict[str, int | float]) -> SparkDetection:
    """The findings tables computed on Spark from the registered input views."""
    started = time.monotonic()
    for name, table in STEPS:
        if table == "detection_exclusions":  # read from the export: it needs the ingest runs (DuckDB's)
            continue
        sql = runner.load(name)
        target = table or dialect.updated_table(sql)
        if target is None:
            raise ValueError(f"detection step {name} names no table")
        df = _conform(run_query(spark, name, bound(params)), target).localCheckpoint()
        df.createOrReplaceTempView(target)
    tables = {t: spark.table(t) for t in TABLES}
    loss = tables["account_losses"].agg(F.sum("loss_usd")).collect()[0][0]
    return SparkDetection(
        tables=tables, trades_scored=tables["trade_scores"].count(),
        unauthorized=tables["unauthorized_trades"].count(), accounts=tables["account_losses"].count(),
        campaigns=tables["campaigns"].count(), compromised_keys=tables["compromised_keys"].count(),
        loss_usd=f"{(loss or 0):.2f}", seconds=time.monotonic() - started)


def rows(df: DataFrame) -> list[dict[str, Any]]:
    """A DataFrame's rows as dicts of Python values as DuckDB gives them (UTC-aware datetimes, Decimals)."""
    table: pa.Table = df.toArrow()
    return cast(list[dict[str, Any]], table.to_pylist())


def write_findings(result: SparkDetection, out: str | Path) -> None:
    """Each findings table as Parquet under ``out/<table>``."""
    for name, df in result.tables.items():
        df.write.mode("overwrite").parquet(f"{str(out).rstrip('/')}/{name}")


class _Cursor:
    def __init__(self, description: list[tuple[str]], data: list[tuple[Any, ...]]) -> None:
        self.description = description
        self._data = data

    def fetchall(self) -> list[tuple[Any, ...]]:
        return self._data


class SparkConnection:
    """Enough of a DuckDB connection for ``queries.runner`` and ``queries.trace``: each statement is a
    ``queries/sql`` text, translated and run on Spark; ``register`` makes an Arrow table a view."""

    def __init__(self, spark: SparkSession) -> None:
        self.spark = spark

    def execute(self, sql: str, params: dict[str, Any] | None = None) -> _Cursor:
        target = dialect.updated_table(sql)
        if target is not None:
            raise InputError("the Spark engine does not change tables through a connection")
        df = self.spark.sql(dialect.to_spark(sql), args=params or None)
        data = rows(df)
        return _Cursor([(c,) for c in df.columns], [tuple(r[c] for c in df.columns) for r in data])

    def register(self, name: str, table: pa.Table) -> None:
        schema = ", ".join(f"`{f.name}` {_arrow_ddl(f.type)}" for f in table.schema)
        self.spark.createDataFrame(table.to_pylist(), schema).createOrReplaceTempView(name)

    def unregister(self, name: str) -> None:
        self.spark.catalog.dropTempView(name)


def _arrow_ddl(t: pa.DataType) -> str:
    if pa.types.is_string(t):
        return "STRING"
    if pa.types.is_timestamp(t):
        return "TIMESTAMP"
    if pa.types.is_integer(t):
        return "BIGINT"
    raise ValueError(f"no Spark type for Arrow type {t}")


def trace(spark: SparkSession, seeds: Iterable[str], model: str, hops: int = 5, direction: str = "forward",
          chain_id: int | None = None, token: str | None = None) -> tracing.TraceResult:
    """``queries.trace.compute`` over the registered transfers and address_labels views."""
    con = cast(duckdb.DuckDBPyConnection, SparkConnection(spark))
    return tracing.compute(con, seeds, model, hops, direction, chain_id, token)

