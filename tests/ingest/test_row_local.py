"""Row-local formats: read once, numbered by their order instead of a row_number() window.

A format flagged ``row_local`` has its staged rows numbered by DuckDB's row order, which DuckDB keeps
only for a plain SELECT chain over one source. These tests check that claim on each flagged SQL's
syntax tree, check the numbering against the file on a file big enough for DuckDB to read it on
several threads, and check that the per-row pair split agrees with the regular expression it replaced.
"""

from __future__ import annotations

import csv
import subprocess
import sys
from decimal import Decimal as D
from pathlib import Path

import duckdb
import pytest
import sqlglot
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlglot import exp

from core.workspace import Workspace
from ingest.api import ingest_file
from ingest.formats.assets import QUOTE_ASSETS, split_pair
from ingest.formats.base import FormatSpec, registry
from ingest.load import constant_null_columns, sql_text

ROOT = Path(__file__).resolve().parents[2]
SPECS = registry()
ROW_LOCAL = [s for s in SPECS if s.row_local]
# what lets DuckDB reorder rows (https://duckdb.org/docs/sql/dialect/order_preservation), or drops or
# multiplies them, so that the n-th staged row would no longer be the n-th row of the file
NOT_ROW_LOCAL = (exp.Join, exp.Group, exp.Window, exp.AggFunc, exp.Distinct, exp.SetOperation, exp.Order,
                 exp.Limit, exp.Having, exp.Qualify, exp.Unnest, exp.Explode, exp.Where)


def test_the_current_binance_trade_history_is_row_local() -> None:
    assert "binance_trade_history" in {s.name for s in ROW_LOCAL}


def _why_not_row_local(sql: str) -> list[str]:
    tree = sqlglot.parse_one(sql, read="duckdb")
    found = sorted({type(node).__name__ for node in tree.find_all(*NOT_ROW_LOCAL)})
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    for select in tree.find_all(exp.Select):
        names = [t.name for t in select.args["from_"].find_all(exp.Table)] if select.args.get("from_") else []
        if len(names) != 1 or names[0] not in ctes | {"raw"}:
            found.append(f"FROM {names}")
        if [q for q in select.find_all(exp.Subquery) if q is not select]:  # a join in disguise
            found.append("subquery")
    return found


@pytest.mark.parametrize("spec", SPECS, ids=lambda s: s.name)
def test_row_local_flag_matches_the_sql(spec: FormatSpec) -> None:
    why = _why_not_row_local(spec.sql_path.read_text())
    assert spec.row_local == (why == []), why


def test_the_checker_sees_what_breaks_numbering() -> None:
    assert _why_not_row_local("SELECT r.* FROM raw AS r") == []
    assert _why_not_row_local("WITH a AS (SELECT r.* FROM raw AS r) SELECT a.x FROM a") == []
    for sql in ("SELECT r.* FROM raw AS r WHERE r.x = 1",
                "SELECT r.x, count(*) FROM raw AS r GROUP BY r.x",
                "SELECT r.*, row_number() OVER () FROM raw AS r",
                "SELECT r.* FROM raw AS r JOIN p ON p.k = r.k",
                "SELECT r.* FROM raw AS r UNION ALL SELECT r.* FROM raw AS r",
                "SELECT r.*, (SELECT max(y) FROM p) FROM raw AS r",
                "SELECT * FROM other"):
        assert _why_not_row_local(sql) != [], sql


def test_every_quote_asset_fits_the_sql_split() -> None:
    """kt_listed_quote tries suffixes of 5, 4 and 3 letters: a longer or shorter quote would be missed."""
    assert all(3 <= len(q) <= 5 for q in QUOTE_ASSETS)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", min_size=1, max_size=8),
                          st.sampled_from([*QUOTE_ASSETS, "XYZ", "USD1", "US", "T"])), min_size=1, max_size=40))
def test_sql_pair_split_agrees_with_the_regular_expression(pairs: list[tuple[str, str]]) -> None:
    con = duckdb.connect()
    con.execute(sql_text("macros"))
    texts = [base + quote for base, quote in pairs]
    got = con.execute("SELECT p, kt_listed_quote(p, $q5, $q4, $q3) FROM unnest($pairs) AS t(p)",
                      {**{f"q{n}": [q for q in QUOTE_ASSETS if len(q) == n] for n in (3, 4, 5)},
                       "pairs": texts}).fetchall()
    for text, quote in got:
        expected = split_pair(text)
        assert (None if quote is None else (text[: -len(quote)], quote)) == expected, text


def test_rows_are_numbered_in_file_order_on_a_multi_threaded_read(ws: Workspace, tmp_path: Path) -> None:
    """400,000 rows (about 40 MB, several CSV buffers): every source_row points at its own line."""
    path = tmp_path / "binance_trade_history_big.csv"
    subprocess.run([sys.executable, str(ROOT / "bench" / "ingest.py"), "--generate-only", str(path), "400000"],
                   check=True)
    res = ingest_file(ws, path, account="9001")
    assert res.rows_read == res.rows_added == 400_000
    with path.open(newline="", encoding="utf-8-sig") as fh:
        lines = list(csv.reader(fh))[1:]
    with ws.db.read() as con:
        got = con.execute("SELECT source_row, strftime(time_utc + INTERVAL 1 HOUR, '%Y-%m-%d %H:%M:%S'), "
                          "base_asset, quote_asset, upper(side), quantity, quote_quantity FROM trades "
                          "ORDER BY source_row").fetchall()
    assert [g[0] for g in got] == list(range(1, 400_001))
    mismatched = []
    for row, time_text, base, quote, side, quantity, quote_quantity in got:
        date, pair, side_text, _price, executed, amount, _fee = lines[row - 1]
        if ((time_text, base + quote, side) != (date, pair, side_text)
                or D(executed[: -len(base)]) != quantity
                or D(amount.replace(",", "")[: -len(quote)]) != quote_quantity):
            mismatched.append(row)
    assert mismatched == []


def test_constant_null_columns_come_from_the_final_select_only() -> None:
    sql = ("WITH p AS (\n    SELECT\n        r.*,\n        CAST(NULL AS VARCHAR) AS in_a_cte\n    FROM raw AS r\n)\n"
           "SELECT\n    p.source_row,\n    CAST(NULL AS VARCHAR) AS order_id,\n"
           "    CAST(NULL AS DECIMAL(38, 18)) AS fee,\n    CASE WHEN p.x THEN CAST(NULL AS VARCHAR) END AS maybe,\n"
           "    CAST(NULL AS TIMESTAMPTZ) AS updated_utc\nFROM p")
    assert constant_null_columns(sql) == {"order_id": "VARCHAR", "fee": "DECIMAL(38, 18)",
                                          "updated_utc": "TIMESTAMPTZ"}
