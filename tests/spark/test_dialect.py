"""The DuckDB-to-Spark translation keeps the meaning where the dialects differ: both engines must agree."""

from __future__ import annotations

from typing import Any

import duckdb
import pytest

from queries.engines.dialect import to_spark, to_spark_steps

pytestmark = pytest.mark.filterwarnings("ignore:PySpark does not yet fully support pandas:FutureWarning")

VALUES = ("(VALUES (CAST('1.000000000000000001' AS DECIMAL(38,18)), TIMESTAMPTZ '2022-12-25 22:29:00.250+00'),"
          " (CAST('2' AS DECIMAL(38,18)), TIMESTAMPTZ '2022-12-25 22:30:01.5+00'),"
          " (CAST('-7.5' AS DECIMAL(38,18)), TIMESTAMPTZ '2022-12-26 00:00:00+00'),"
          " (CAST(NULL AS DECIMAL(38,18)), TIMESTAMPTZ '2022-12-26 00:00:00+00')) AS v(x, ts)")
SPARK_VALUES = ("(SELECT CAST(x AS DECIMAL(38,18)) AS x, CAST(ts AS TIMESTAMP) AS ts FROM VALUES "
                "('1.000000000000000001', '2022-12-25 22:29:00.250'), ('2', '2022-12-25 22:30:01.5'), "
                "('-7.5', '2022-12-26 00:00:00'), (NULL, '2022-12-26 00:00:00') AS v(x, ts))")
CASES = [
    # DuckDB's `/` is floating point, also for integers and decimals; an integer cast rounds half to even
    f"SELECT CAST((8 - 1) / 2 AS INTEGER) AS a, CAST((6 - 1) / 2 AS INTEGER) AS b, max(x) / 3 AS c FROM {VALUES}",
    # exact median of DECIMAL(38,18): even count, the midpoint needs a 19th decimal (rounded half up)
    f"SELECT median(x) AS m, median(CASE WHEN x > 0 THEN x END) AS pos, median(CASE WHEN x > 9 THEN x END) AS none"
    f" FROM {VALUES}",
    # epoch keeps the microseconds; strftime with literal letters
    f"SELECT epoch(ts) AS e, strftime(ts, '%Y-%m-%dT%H:%M:%S.%fZ') AS iso FROM {VALUES} ORDER BY ts, x",
]


def _duck(sql: str) -> list[tuple[Any, ...]]:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'").fetchall()
    return con.execute(sql).fetchall()


@pytest.mark.parametrize("sql", CASES)
def test_both_engines_give_the_same_values(spark: Any, sql: str) -> None:
    from queries.engines.spark import rows

    translated = to_spark(sql.replace(VALUES, "v")).replace(" FROM v", f" FROM {SPARK_VALUES}")
    df = spark.sql(translated)
    on_spark = [tuple(r.values()) for r in rows(df)]
    assert [tuple(map(str, r)) for r in on_spark] == [tuple(map(str, r)) for r in _duck(sql)]


def test_update_becomes_a_select_of_every_column_with_the_new_value() -> None:
    steps, final = to_spark_steps("UPDATE ca SET loss = (SELECT sum(u.x) FROM u WHERE u.k = ca.k)", "kt_",
                                  ["k", "loss", "n"])
    assert steps == ()
    assert final == "SELECT ca.k, (SELECT SUM(u.x) FROM u WHERE u.k = ca.k) AS loss, ca.n FROM ca"


def test_ctes_read_twice_are_marked_for_materialising() -> None:
    steps, final = to_spark_steps("WITH a AS (SELECT 1 AS n), b AS (SELECT n FROM a) "
                                  "SELECT * FROM a JOIN b ON a.n = b.n", "kt_q__")
    assert [(name, refs) for name, _sql, refs in steps] == [("kt_q__a", 2), ("kt_q__b", 1)]
    assert "kt_q__a AS a" in final and "kt_q__b AS b" in final and "WITH" not in final
