"""The one loader of keytrace's SQL files: every package keeps its statements as ``.sql`` files (one
statement each, a header comment first) and reads them through a :class:`SqlFiles` of its folder.

Names are ``name`` or ``folder/name`` (lower-case, digits and ``_``), never paths: a name that is not a
file of the folder is :class:`core.errors.NotFound`. Parameters are written ``$name`` and always bound,
never pasted into the text; :func:`bind` hands a statement only the parameters it uses (DuckDB refuses
unused named parameters), so callers may pass one settings dictionary to every step.

Users: ``queries.runner`` (every read of findings: detection steps, tracing, reports, pages, exports),
``ingest.load`` (formats, validation, merges), ``ingest.reconcile`` and ``ingest.chain.store``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

from core.errors import NotFound

_PARAM = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")
_NAME = re.compile(r"^[a-z0-9_]+(/[a-z0-9_]+)?$")


def parameters(sql: str) -> list[str]:
    """Names of the ``$name`` parameters a statement uses, in order of first use (comments ignored)."""
    body = "\n".join(line.split("--", 1)[0] for line in sql.splitlines())
    return list(dict.fromkeys(m.group(1) for m in _PARAM.finditer(body)))


def bind(sql: str, params: Mapping[str, Any] | None) -> dict[str, Any]:
    """The values of the parameters ``sql`` uses, taken from ``params``; a missing one is a TypeError
    naming it (a programming error, not a user's)."""
    params = params or {}
    wanted = parameters(sql)
    missing = [p for p in wanted if p not in params]
    if missing:
        raise TypeError(f"SQL parameters without a value: {missing}")
    return {p: params[p] for p in wanted}


def header(sql: str) -> str:
    """The leading comment block of a statement, without the ``--`` markers."""
    lines = []
    for line in sql.splitlines():
        if not line.startswith("--"):
            break
        lines.append(line[2:].strip())
    return "\n".join(lines)


class SqlFiles:
    """The SQL files below one folder."""

    def __init__(self, root: Path, what: str = "query") -> None:
        self.root = root
        self.what = what

    def path(self, name: str) -> Path:
        if not _NAME.match(name):
            raise NotFound(f"there is no {self.what} named {name!r}")
        path = self.root / f"{name}.sql"
        if not path.is_file():
            raise NotFound(f"there is no {self.what} named {name!r}")
        return path

    def exists(self, name: str) -> bool:
        return bool(_NAME.match(name)) and (self.root / f"{name}.sql").is_file()

    def text(self, name: str) -> str:
        return _read(self.path(name))

    def names(self, folder: str) -> list[str]:
        """The names of a sub-folder's files, in file-name order (numbered steps run in this order)."""
        return [f"{folder}/{p.stem}" for p in sorted((self.root / folder).glob("*.sql"))]

    def rows(self, con: duckdb.DuckDBPyConnection, name: str,
             params: Mapping[str, Any] | None = None) -> list[dict[str, Any]]:
        """A statement's rows as dicts, fully fetched (so the next statement can run on ``con``)."""
        sql = self.text(name)
        cur = con.execute(sql, bind(sql, params))
        cols = [d[0] for d in cur.description or []]
        return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]

    def tuples(self, con: duckdb.DuckDBPyConnection, name: str,
               params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
        sql = self.text(name)
        return con.execute(sql, bind(sql, params)).fetchall()


@cache
def _read(path: Path) -> str:
    return path.read_text()
