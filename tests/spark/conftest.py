"""One local Spark session for every Spark test, and the demo incident exported as Parquet.

These tests need the optional extra (PySpark, sqlglot, Java 17). The main test run has no PySpark
(keeping it out of the default install keeps pandera from importing pyspark.pandas) and skips them;
scripts/test runs them in the separate environment .venv-spark (`scripts/test-spark`).
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

try:
    import pyspark  # noqa: F401

    HAVE_SPARK = True
except ImportError:
    HAVE_SPARK = False

SKIP_REASON = ("PySpark is not installed here: the Spark tests run in .venv-spark "
               "(scripts/test-spark, called by scripts/test)")
SEED = 5
ACCOUNTS = 20


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if HAVE_SPARK:
        return
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.skip(reason=SKIP_REASON))


def keytrace(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, check=False)


@dataclass(frozen=True)
class Demo:
    db: Path
    parquet: Path
    seeds: list[str]


@pytest.fixture(scope="session")
def spark() -> Iterator[Any]:
    from queries.engines import spark as engine

    session = engine.session("local[2]", shuffle_partitions=1,
                             extra={"spark.default.parallelism": "1", "spark.driver.memory": "1g"})
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    """The demo incident (small seed) built through `keytrace demo --no-serve`, detected on DuckDB and
    exported with `keytrace export parquet`."""
    tmp = tmp_path_factory.mktemp("spark-demo")
    db = tmp / "demo.duckdb"
    built = keytrace("--db", str(db), "demo", "--no-serve", "--seed", str(SEED), "--accounts", str(ACCOUNTS),
                     "--json")
    assert built.returncode == 0, built.stderr
    detected = keytrace("--db", str(db), "detect", "--json")
    assert detected.returncode == 0, detected.stderr
    exported = keytrace("--db", str(db), "export", "parquet", str(tmp / "parquet"), "--json")
    assert exported.returncode == 0, exported.stderr
    import duckdb

    con = duckdb.connect(str(db), read_only=True)
    try:
        runs = con.execute("SELECT seeds FROM trace_runs ORDER BY created_at LIMIT 1").fetchall()
    finally:
        con.close()
    seeds = json.loads(runs[0][0])
    return Demo(db=db, parquet=tmp / "parquet", seeds=seeds)
