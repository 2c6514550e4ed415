from __future__ import annotations

import time

import pytest

from app import sql_console
from core.errors import AccessDenied, InputError
from core.workspace import Workspace
from tests.app.conftest import People


def test_rows_are_limited_and_results_exact(ws: Workspace, people: People) -> None:
    r = sql_console.run_query(ws, people.investigator, "SELECT i, CAST('0.333333333333333333' AS DECIMAL(38,18)) "
                                                       "* i AS third FROM range(10) t(i) ORDER BY i", row_limit=4)
    assert r.columns == ["i", "third"] and len(r.rows) == 4 and r.truncated
    assert str(r.rows[1][1]) == "0.333333333333333333"


def test_a_long_query_is_interrupted_at_the_time_limit(ws: Workspace, people: People) -> None:
    started = time.monotonic()
    with pytest.raises(InputError, match="ran longer than 0.5 seconds and was stopped"):
        sql_console.run_query(ws, people.investigator,
                              "SELECT count(*) FROM range(100000000000) a(x) WHERE hash(x) % 7 = 3", time_limit=0.5)
    assert time.monotonic() - started < 10


@pytest.mark.parametrize("sql, said", [
    ("INSERT INTO claims (id) VALUES (1)", "read-only queries only"),
    ("CREATE TABLE x AS SELECT 1", "read-only queries only"),
    ("ATTACH '/tmp/other.duckdb' AS o", "read-only queries only"),
    ("COPY claims TO '/tmp/out.csv'", "read-only queries only"),
    ("SET enable_external_access = true", "read-only queries only"),
    ("SELECT * FROM read_csv('/etc/passwd')", "cannot read files .*file system operations are disabled"),
    ("SELEC 1", 'does not parse: syntax error at or near "SELEC"'),
    ("SELECT nosuch_fn(1)", "^the query failed: Catalog Error: Scalar Function with name nosuch_fn does not exist"),
    ("WITH x AS (SELECT 1) DELETE FROM claims", "read-only queries only"),
    ("SELECT password_hash FROM users", "account table 'users'"),
    ("SELECT * FROM (SELECT token_hash FROM main.sessions)", "account table 'sessions'"),
    ("SELECT 1; DROP TABLE claims", "one statement at a time"),
    ("SELECT column_name, stats FROM pragma_storage_info('users')", "account table 'users'"),
    ("SELECT * FROM pragma_table_info('sessions')", "account table 'sessions'"),
    ("SELECT stats FROM pragma_storage_info('us' || 'ers')", "pragma and catalog functions .pragma_storage_info."),
    ("SELECT estimated_size FROM duckdb_tables()", "pragma and catalog functions .duckdb_tables."),
    ("SELECT * FROM claims WHERE exchange = 'Users'", "account table 'users'"),
])
def test_anything_but_reading_is_refused(ws: Workspace, people: People, sql: str, said: str) -> None:
    with pytest.raises(InputError, match=said):
        sql_console.run_query(ws, people.investigator, sql)


def test_only_investigators_and_admins_may_use_it(ws: Workspace, people: People) -> None:
    for user in (people.victim, people.legal):
        with pytest.raises(AccessDenied):
            sql_console.run_query(ws, user, "SELECT 1")
