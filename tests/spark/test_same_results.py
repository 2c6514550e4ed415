"""Detection, loss and a 3-hop haircut trace give the same rows on DuckDB and on Spark (amounts exact)."""

from __future__ import annotations

import contextlib
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import pytest

from app.cli import main
from core.workspace import Workspace
from queries.detect import TABLES
from queries.trace import compute
from tests.spark.conftest import Demo

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")


def _key(row: tuple[Any, ...]) -> tuple[tuple[bool, str], ...]:
    return tuple((v is None, str(v)) for v in row)


def _duckdb_rows(db: Any, table: str) -> tuple[list[str], list[tuple[Any, ...]]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        cur = con.execute(f"SELECT * FROM {table}")
        cols = [d[0] for d in cur.description or []]
        return cols, cur.fetchall()
    finally:
        con.close()


def _exact(rows: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """Rows with every Decimal also as its text, so that 1.50 and 1.5 would not pass as equal."""
    return sorted((tuple((v, str(v)) if isinstance(v, Decimal) else v for v in r) for r in rows), key=_key)


@pytest.fixture(scope="module")
def spark_run(spark: Any, demo: Demo, tmp_path_factory: pytest.TempPathFactory) -> tuple[dict[str, Any], Path]:
    """`keytrace detect --engine spark --input DIR --output OUT --json` on the demo's Parquet (in-process,
    so that it reuses the test session's Spark)."""
    out = tmp_path_factory.mktemp("findings") / "findings"
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        code = main(["--db", str(demo.db), "detect", "--engine", "spark", "--input", str(demo.parquet),
                     "--output", str(out), "--json"])
    assert code == 0
    return json.loads(printed.getvalue()), out


@pytest.fixture(scope="module")
def spark_findings(spark_run: tuple[dict[str, Any], Path]) -> dict[str, tuple[list[str], list[tuple[Any, ...]]]]:
    """The findings tables as Spark wrote them (Parquet), read back."""
    _summary, out = spark_run
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'").fetchall()
    found = {}
    for table in TABLES:
        cur = con.execute(f"SELECT * FROM read_parquet('{out}/{table}/*.parquet')")
        found[table] = ([d[0] for d in cur.description or []], cur.fetchall())
    return found


@pytest.mark.parametrize("table", TABLES)
def test_findings_are_identical_row_for_row(demo: Demo, spark_findings: dict[str, list[dict[str, Any]]],
                                            table: str) -> None:
    cols, on_duckdb = _duckdb_rows(demo.db, table)
    spark_cols, on_spark = spark_findings[table]
    assert spark_cols == cols
    assert _exact(on_spark) == _exact(on_duckdb)


def test_the_demo_has_findings_and_losses_to_compare(
        demo: Demo, spark_run: tuple[dict[str, Any], Path],
        spark_findings: dict[str, tuple[list[str], list[tuple[Any, ...]]]]) -> None:
    summary, _out = spark_run
    _cols, unauthorized = _duckdb_rows(demo.db, "unauthorized_trades")
    assert summary["engine"] == "spark" and summary["unauthorized"] == len(unauthorized) > 0
    assert spark_findings["campaigns"][1] and spark_findings["compromised_keys"][1]
    cols, rows = spark_findings["account_losses"]
    losses = [r[cols.index("loss_usd")] for r in rows]
    assert all(isinstance(v, Decimal) for v in losses) and sum(losses) > 0
    assert summary["loss_usd"] == f"{sum(losses):.2f}"


def test_three_hop_haircut_trace_is_identical(spark: Any, demo: Demo) -> None:
    from queries.engines import spark as engine

    ws = Workspace.open(demo.db)
    with ws.db.read() as con:
        local = compute(con, demo.seeds, "haircut", hops=3)
    distributed = engine.trace(spark, demo.seeds, "haircut", hops=3)
    assert local.edges, "the demo trace has no tainted transfer to compare"
    assert local.cash_out_points
    assert distributed.edges == local.edges
    assert distributed.cash_out_points == local.cash_out_points
    assert [str(e.tainted) for e in distributed.edges] == [str(e.tainted) for e in local.edges]


def test_trace_command_with_the_spark_engine_prints_the_cash_out_points(
        spark: Any, demo: Demo, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(demo.db), "trace", "--engine", "spark", "--input", str(demo.parquet),
                 "--from", *demo.seeds, "--model", "haircut", "--hops", "3", "--json"])
    assert code == 0
    data = json.loads(capsys.readouterr().out)
    ws = Workspace.open(demo.db)
    with ws.db.read() as con:
        local = compute(con, demo.seeds, "haircut", hops=3)
    assert [(c["address"], c["tainted_amount"]) for c in data["cash_out_points"]] == \
        [(c.address, str(c.tainted_amount)) for c in local.cash_out_points]
