"""The one way to read findings: load a query of ``queries/sql`` by name and run it with bound parameters.

The folders show the flow:

* ``detect/``: the detection models, numbered in the order ``keytrace detect`` runs them (each step's
  rows go into the table its name ends with, see :data:`queries.detect.STEPS`);
* ``trace/``: the hop expansion of ``keytrace trace`` and the questions about one trace run;
* ``claims/``: ownership grading, fraud signals and the screen of a claim upload;
* ``report/``: the questions of the PDF reports and bundles, which the pages ask too where they show
  the same fact (so a page and a report never disagree);
* ``pages/``: the questions only the investigators' and victims' pages ask;
* ``exports/``: the CSV exports (``keytrace export``);
* ``audits/``: the consistency audits (``keytrace audit data``; an audit passes when it returns no row).

A query file holds one statement and starts with a header comment that says what it answers, its grain
and its parameters. Loading and binding are :mod:`core.sqlfiles`' (the loader every package shares).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import duckdb

from core import sqlfiles

SQL_DIR = Path(__file__).resolve().parent / "sql"
QUERIES = sqlfiles.SqlFiles(SQL_DIR)

parameters = sqlfiles.parameters
bind = sqlfiles.bind


def load(name: str) -> str:
    """The text of ``sql/<name>.sql`` (``name`` is ``folder/query``)."""
    return QUERIES.text(name)


def header(name: str) -> str:
    """The leading comment block of a query, without the ``--`` markers."""
    return sqlfiles.header(load(name))


def names(folder: str) -> list[str]:
    """The queries of one folder, in file order."""
    return QUERIES.names(folder)


def execute(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None,
            *, into: str | None = None) -> None:
    """Run a query for its effect; with ``into``, insert its rows into that table (columns by name)."""
    sql = load(name)
    bound = bind(sql, params)
    if into is not None:
        if not re.fullmatch(r"[a-z_][a-z0-9_]*", into):
            raise ValueError(f"bad table name {into!r}")
        sql = f"INSERT INTO {into} BY NAME {sql.rstrip().rstrip(';')}"
    con.execute(sql, bound).fetchall()


def run(con: duckdb.DuckDBPyConnection, name: str, params: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """Rows of a query as dicts, fully fetched."""
    return QUERIES.rows(con, name, params)


def cursor(con: duckdb.DuckDBPyConnection, name: str,
           params: dict[str, Any] | None = None) -> duckdb.DuckDBPyConnection:
    """A query started on ``con`` for the caller to fetch in batches (exports of millions of rows)."""
    sql = load(name)
    return con.execute(sql, bind(sql, params))


def audit_names() -> list[str]:
    return names("audits")


def run_audits(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Every audit query with the rows it returned (an audit passes when it returns none)."""
    return {name: run(con, name) for name in audit_names()}
