"""The investigators' read-only SQL console (UI-free).

Four locks keep it read-only and bounded:

1. the connection is DuckDB's read-only connection (``ws.db.read()``): DuckDB refuses every write;
2. file and network access is switched off and the configuration locked before the query runs, so
   ``read_csv('/etc/...')``, ``ATTACH`` or ``COPY`` cannot reach outside the database;
3. an allow-list: exactly one statement, of DuckDB's SELECT or EXPLAIN type (SELECT, WITH, SHOW,
   DESCRIBE, SUMMARIZE), that does not read the account tables (users, sessions);
4. a row limit (the rest is not fetched) and a time limit: a timer interrupts the query.
"""

from __future__ import annotations

import re
import threading
import time
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb

from app import access
from app.auth import User
from core.errors import InputError
from core.workspace import Workspace

MAX_ROWS = 10_000
MAX_SECONDS = 60.0
DENIED_TABLES = frozenset({"users", "sessions"})
_ALLOWED_TYPES = (duckdb.StatementType.SELECT, duckdb.StatementType.EXPLAIN)
_FIRST_WORD = re.compile(r"^\s*(?:--[^\n]*\n\s*|/\*.*?\*/\s*)*([A-Za-z]+)", re.DOTALL)
_ALLOWED_FIRST = frozenset({"select", "with", "from", "values", "explain", "describe", "show", "summarize",
                            "table"})
FILES_REFUSED = ("the console cannot read files or reach the network (file system operations are disabled by "
                 "configuration): query the tables of the case database instead")
_BINARY_PREVIEW = 8  # bytes of a binary value shown in hex
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CATALOG_FUNCTION = re.compile(r"\b((?:pragma|duckdb)_[A-Za-z0-9_]*)\s*\(", re.IGNORECASE)


@dataclass(frozen=True)
class ConsoleResult:
    columns: list[str]
    rows: list[tuple[Any, ...]]
    truncated: bool
    seconds: float


def check_statement(con: duckdb.DuckDBPyConnection, text: str) -> str:
    """The statement to run, or InputError saying why it is not allowed."""
    text = text.strip().rstrip(";").strip()
    if not text:
        raise InputError("write a SELECT query first", column="query")
    try:  # parse first, so that a typo ("SELEC 1") is reported as the syntax error it is
        statements = con.extract_statements(text)
    except duckdb.Error as exc:
        raise InputError(f"the query does not parse: {_parse_error(exc)}", column="query") from None
    if not statements:  # only comments
        raise InputError("write a SELECT query first", column="query")
    m = _FIRST_WORD.match(text)
    if not m or m.group(1).lower() not in _ALLOWED_FIRST:
        raise InputError("the console runs read-only queries only (SELECT, WITH, SHOW, DESCRIBE, SUMMARIZE, "
                         "EXPLAIN)", column="query")
    if len(statements) != 1:
        raise InputError("the console runs one statement at a time", column="query")
    if statements[0].type not in _ALLOWED_TYPES:
        raise InputError("the console runs read-only queries only (SELECT, WITH, SHOW, DESCRIBE, SUMMARIZE, "
                         "EXPLAIN)", column="query")
    # a table can also be named inside a string (pragma_storage_info('users') returns its stored min/max
    # values): the account tables may not be named anywhere in the query, and DuckDB's pragma and catalog
    # functions, which take table names as text, are not run at all (SHOW and DESCRIBE list the tables)
    named = {w.lower() for w in _WORD.findall(text)}
    denied = sorted(named & DENIED_TABLES)
    if denied:
        raise InputError(f"the console cannot read the account table {denied[0]!r}", column="query")
    catalog = _CATALOG_FUNCTION.search(text)
    if catalog:
        raise InputError(f"the console does not run DuckDB's pragma and catalog functions ({catalog.group(1)}); "
                         "SHOW TABLES and DESCRIBE table list what the case database holds", column="query")
    try:
        tables = {t.split(".")[-1].lower() for t in con.get_table_names(text)}
    except duckdb.PermissionException:
        raise InputError(FILES_REFUSED, column="query") from None
    except duckdb.CatalogException as exc:  # it parses, but names a function the database does not have
        raise InputError(f"the query failed: {_first_line(exc)}", column="query") from None
    except duckdb.Error as exc:
        raise InputError(f"the query does not parse: {_first_line(exc)}", column="query") from None
    denied = sorted(tables & DENIED_TABLES)
    if denied:
        raise InputError(f"the console cannot read the account table {denied[0]!r}", column="query")
    return text


def run_query(ws: Workspace, actor: User, text: str, *, row_limit: int = 1000,
              time_limit: float = 10.0) -> ConsoleResult:
    access.require(actor.role, "sql.console")
    row_limit = max(1, min(int(row_limit), MAX_ROWS))
    time_limit = max(0.1, min(float(time_limit), MAX_SECONDS))
    with ws.db.read() as con:
        con.execute("SET enable_external_access = false")
        con.execute("SET lock_configuration = true")
        statement = check_statement(con, text)
        timer = threading.Timer(time_limit, con.interrupt)
        started = time.monotonic()
        timer.start()
        try:
            cur = con.execute(statement)
            columns = [d[0] for d in cur.description or []]
            fetched = cur.fetchmany(row_limit + 1)
        except duckdb.InterruptException:
            raise InputError(f"the query ran longer than {time_limit:g} seconds and was stopped",
                             column="query") from None
        except duckdb.PermissionException:
            raise InputError(FILES_REFUSED, column="query") from None
        except duckdb.Error as exc:
            if time.monotonic() - started >= time_limit:
                raise InputError(f"the query ran longer than {time_limit:g} seconds and was stopped",
                                 column="query") from None
            raise InputError(f"the query failed: {_first_line(exc)}", column="query") from None
        finally:
            timer.cancel()
        elapsed = time.monotonic() - started
    return ConsoleResult(columns, fetched[:row_limit], len(fetched) > row_limit, elapsed)


def display(value: Any) -> str:
    """One result cell as text, for any DuckDB type: exact decimals without trailing-zero noise, binary
    values (such as the encrypted personal data) by size and a hex prefix, never decoded as text."""
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, bytes | bytearray | memoryview):
        raw = bytes(value)
        more = "..." if len(raw) > _BINARY_PREVIEW else ""
        unit = "byte" if len(raw) == 1 else "bytes"
        return f"<binary, {len(raw):,} {unit}: {raw[:_BINARY_PREVIEW].hex()}{more}>" if raw else "<binary, 0 bytes>"
    if isinstance(value, Decimal):
        return _exact(value)
    if isinstance(value, float):
        return repr(value)  # the shortest text that reads back as the same double
    if isinstance(value, dict):
        return "{" + ", ".join(f"{display(k)}: {display(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(display(v) for v in value) + "]"
    return str(value)


def _exact(value: Decimal) -> str:
    """The exact value; trailing zeros of the column's scale are dropped down to two places (or the
    scale, if smaller), so 1.491200000000000000 reads 1.4912 and 604.80 keeps its cents."""
    if not value.is_finite():
        return str(value)
    keep = min(2, max(0, -int(value.as_tuple().exponent)))
    text = format(value, "f")
    if "." in text:
        whole, frac = text.split(".")
        frac = frac.rstrip("0").ljust(keep, "0")
        text = f"{whole}.{frac}" if frac else whole
    return text[1:] if text.startswith("-") and not text.strip("-0.") else text


def _parse_error(exc: BaseException) -> str:
    line = _first_line(exc)
    return line.removeprefix("Parser Error: ")


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
