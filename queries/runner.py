"""Load a query by name from ``queries/sql/<name>.sql`` and run it with bound named parameters.

A query file holds one statement and starts with a header comment that says what it answers, its grain
and its parameters. Parameters are written ``$name`` and always bound, never pasted into the text.
Only the parameters a file uses are passed to it, so callers may hand over one settings dictionary.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from core.errors import NotFound

SQL_DIR = Path(__file__).resolve().parent / "sql"
_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")


@cache
def load(name: str) -> str:
    """The text of ``sql/<name>.sql`` (``name`` may be ``audits/<x>``)."""
    if not _NAME.match(name):
        raise NotFound(f"there is no query named {name!r}")
    path = SQL_DIR / f"{name}.sql"
    if not path.is_file():
        raise NotFound(f"there is no query named {name!r}")
    return path.read_text()


def header(name: str) -> str:
    """The leading comment block of a query, without the ``--`` markers."""
    lines = []
    for line in load(name).splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


def parameters(sql: str) -> list[str]:
    """Names of the ``$name`` parameters a statement uses, in order of first use (comments ignored)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    seen: list[str] = []
    for m in _PARAM.finditer(body):
        if m.group(1) not in seen:
            seen.append(m.group(1))
    return seen


def bind(sql: str, params: dict[str, Any] | None) -> dict[str, Any]:
    wanted = parameters(sql)
    params = params or {}
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"query needs parameters {missing}")
    return {p: params[p] for p in wanted}


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
    sql = load(name)
    cur = con.execute(sql, bind(sql, params))
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def audit_names() -> list[str]:
    return sorted(f"audits/{p.stem}" for p in (SQL_DIR / "audits").glob("*.sql"))


def run_audits(con: duckdb.DuckDBPyConnection) -> dict[str, list[dict[str, Any]]]:
    """Every audit query with the rows it returned (an audit passes when it returns none)."""
    return {name: run(con, name) for name in audit_names()}
