"""The database layer: one DuckDB file, serialised writers, numbered migrations.

DuckDB lets one process write a file at a time, and a process that has it open for writing keeps
every other process out, readers included. keytrace therefore never holds a connection open between
pieces of work: every use goes through :meth:`Database.write` or :meth:`Database.read`, which take an
advisory ``flock`` on ``<db>.lock`` (exclusive for writers, shared for readers), open the file, do the
work and close it. The app, the command line and a long ingest can thus run side by side: an ingest
parses and validates its file outside the lock (in a private staging database) and holds the lock only
for the short merge, and a claim filed meanwhile waits its turn instead of failing.
"""

from __future__ import annotations

import fcntl
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

import duckdb

from core.config import Settings
from core.errors import DatabaseBusyError, KeytraceError

_AFTER_COMMIT: dict[int, list[Callable[[], None]]] = {}


def after_commit(con: duckdb.DuckDBPyConnection, callback: Callable[[], None]) -> None:
    """Run ``callback`` once the write transaction of ``con`` has committed (dropped on rollback)."""
    _AFTER_COMMIT.setdefault(id(con), []).append(callback)


MIGRATION_NAME = re.compile(r"^(\d{3})_([a-z0-9_]+)\.sql$")
DEFAULT_LOCK_TIMEOUT = 120.0


def utcnow() -> datetime:
    return datetime.now(UTC)


MACROS = Path(__file__).resolve().parent / "sql" / "macros.sql"


@cache
def _macros() -> str:
    return MACROS.read_text()


def install_macros(con: duckdb.DuckDBPyConnection) -> None:
    """Create the shared text macros (core/sql/macros.sql: kt_plain, kt_iso_utc) on ``con``."""
    con.execute(_macros())


def migrations() -> list[tuple[int, str, str]]:
    """(version, name, sql) for every file in core/migrations, in order."""
    out = []
    for entry in resources.files("core.migrations").iterdir():
        m = MIGRATION_NAME.match(entry.name)
        if m:
            out.append((int(m.group(1)), m.group(2), entry.read_text()))
    out.sort()
    versions = [v for v, _, _ in out]
    if len(set(versions)) != len(versions):
        raise KeytraceError("two migrations share a number")
    return out


class Database:
    def __init__(self, settings: Settings, lock_timeout: float = DEFAULT_LOCK_TIMEOUT) -> None:
        self.settings = settings
        self.path: Path = settings.db_path
        self.lock_timeout = lock_timeout

    # -- locking ---------------------------------------------------------------------------
    @contextmanager
    def _lock(self, exclusive: bool) -> Iterator[None]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.settings.lock_path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            mode = fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH
            deadline = time.monotonic() + self.lock_timeout
            delay = 0.01
            while True:
                try:
                    fcntl.flock(fd, mode | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise DatabaseBusyError(
                            f"the database {self.path.name} is busy (another keytrace process is writing); "
                            "try again when it has finished") from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.25)
            yield
        finally:
            os.close(fd)  # closing releases the lock

    def _open(self, read_only: bool) -> duckdb.DuckDBPyConnection:
        deadline = time.monotonic() + self.lock_timeout
        while True:
            try:
                con = duckdb.connect(str(self.path), read_only=read_only)
                con.execute("SET TimeZone = 'UTC'")
                install_macros(con)
                return con
            except duckdb.IOException as exc:
                # a process that does not use our lock (e.g. the duckdb CLI) holds the file
                if "lock" not in str(exc).lower() or time.monotonic() >= deadline:
                    raise DatabaseBusyError(f"the database {self.path.name} cannot be opened: {exc}") from exc
                time.sleep(0.1)

    # -- public ----------------------------------------------------------------------------
    @contextmanager
    def write(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """One transaction with the write lock held: committed on success, rolled back on any error."""
        with self._lock(exclusive=True):
            con = self._open(read_only=False)
            try:
                con.execute("BEGIN TRANSACTION")
                try:
                    yield con
                except BaseException:
                    _AFTER_COMMIT.pop(id(con), None)
                    con.execute("ROLLBACK")
                    raise
                con.execute("COMMIT")
                for callback in _AFTER_COMMIT.pop(id(con), []):
                    callback()
            finally:
                _AFTER_COMMIT.pop(id(con), None)
                con.close()

    @contextmanager
    def exclusive(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """The write lock and a connection outside any transaction (CHECKPOINT before a file copy)."""
        with self._lock(exclusive=True):
            con = self._open(read_only=False)
            try:
                yield con
            finally:
                con.close()

    @contextmanager
    def read(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A read-only connection; DuckDB refuses every write on it."""
        if not self.path.exists():
            raise KeytraceError(f"there is no keytrace database at {self.path}; run `keytrace init` first")
        with self._lock(exclusive=False):
            con = self._open(read_only=True)
            try:
                yield con
            finally:
                con.close()

    def exists(self) -> bool:
        return self.path.exists()

    def schema_version(self) -> int:
        if not self.exists():
            return 0
        with self.read() as con:
            return _current_version(con)

    def migrate(self, target: int | None = None) -> list[int]:
        """Apply every migration newer than the database (up to ``target``), each in its own transaction."""
        applied: list[int] = []
        with self._lock(exclusive=True):
            con = self._open(read_only=False)
            try:
                con.execute("CREATE TABLE IF NOT EXISTS schema_version ("
                            "version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMPTZ NOT NULL)")
                current = _current_version(con)
                for version, name, sql in migrations():
                    if version <= current or (target is not None and version > target):
                        continue
                    con.execute("BEGIN TRANSACTION")
                    try:
                        con.execute(sql)
                        con.execute("INSERT INTO schema_version VALUES (?, ?, ?)", [version, name, utcnow()])
                    except BaseException:
                        con.execute("ROLLBACK")
                        raise
                    con.execute("COMMIT")
                    applied.append(version)
                con.execute("CHECKPOINT")
            finally:
                con.close()
        return applied


@cache
def _reference() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    for _version, _name, sql in migrations():
        con.execute(sql).fetchall()
    return con


def table_columns(table: str) -> list[tuple[str, str]]:
    """(column, DuckDB type) of a database table as the migrations define it, in order."""
    rows = _reference().execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = ? "
        "ORDER BY ordinal_position", [table]).fetchall()
    return [(str(r[0]), str(r[1])) for r in rows]


def _current_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_version'"
                         ).fetchall()[0][0]
    if not exists:
        return 0
    row = con.execute("SELECT coalesce(max(version), 0) FROM schema_version").fetchall()
    return int(row[0][0])


def rows(con: duckdb.DuckDBPyConnection, sql: str, params: Any = None) -> list[dict[str, Any]]:
    """Run a statement and return its rows as dicts (fully fetched, so the next query can run)."""
    cur = con.execute(sql, params) if params is not None else con.execute(sql)
    cols = [d[0] for d in cur.description or []]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
