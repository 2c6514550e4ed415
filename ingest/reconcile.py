"""One reconciled execution history per account, from every kind of evidence that records executions.

A victim's evidence of what was traded comes in three kinds: fills (``trades``: Trade History, fills,
order splitting), filled orders (``orders``: KuCoin Filled Orders, order histories with a filled size,
Binance Order History) and ledgers whose legs make trades (``ledger_movements``: the Binance statement
in every variant, KuCoin Account History, Kraken ledgers, Coinbase Pro accounts, OKX). Each keeps the
rows it was read from; :func:`reconcile` derives ``executions`` from all of them, for the accounts an
ingest touched, inside the ingest's own write transaction, so that detection, losses, claims, reports
and exports read one history whatever the evidence was.

The rule is in the SQL files of ``ingest/sql/reconcile/`` (run in their numbered order) and in
docs/reconciliation.md: legs are grouped by ref_id or by (wallet, second) and read as at most one
execution per side; the same execution seen in several files or kinds counts once, by precedence
fills over orders over ledgers; a disagreement is stored in ``execution_conflicts``, never merged.
Derived prices use the exact division macros every connection has (core/sql/macros.sql).
The result depends on the evidence only, not on the order it was ingested in.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

import duckdb

from core.workspace import Workspace
from ingest.formats.assets import LEG_QUOTE_PRECEDENCE
from ingest.formats.base import INGEST_SQL

TEMP_TABLES = ("rc_source", "rc_exec", "rc_match", "rc_ledger_group", "rc_leg", "rc_order", "rc_fill", "rc_file",
               "rc_scope")
DERIVED_TABLES = ("executions", "execution_sources", "execution_conflicts")


@dataclass(frozen=True)
class ReconcileSummary:
    accounts: int
    executions: int
    conflicts: int


@cache
def _steps() -> tuple[str, ...]:
    return tuple(INGEST_SQL.text(name) for name in INGEST_SQL.names("reconcile"))


def reconcile(con: duckdb.DuckDBPyConnection, accounts: Iterable[tuple[str, str]] | None = None) -> ReconcileSummary:
    """Recompute the executions, their sources and conflicts of ``accounts`` ((exchange, account)
    pairs; every account holding evidence when None). Runs on ``con`` inside the caller's transaction."""
    _drop_temp(con)
    con.execute("CREATE TEMP TABLE rc_scope (exchange VARCHAR NOT NULL, account VARCHAR NOT NULL)")
    if accounts is None:
        con.execute("INSERT INTO rc_scope SELECT DISTINCT exchange, account FROM trades "
                    "UNION SELECT DISTINCT exchange, account FROM orders "
                    "UNION SELECT DISTINCT exchange, account FROM ledger_movements")
    else:
        scope = sorted(set(accounts))
        if scope:
            con.executemany("INSERT INTO rc_scope VALUES (?, ?)", [list(a) for a in scope])
    try:
        for table in DERIVED_TABLES:
            con.execute(f"DELETE FROM {table} AS d WHERE EXISTS "  # noqa: S608 - constant table names
                        "(SELECT 1 FROM rc_scope AS s WHERE s.exchange = d.exchange AND s.account = d.account)")
        for sql in _steps():
            params = {"quote_rank": list(LEG_QUOTE_PRECEDENCE)} if "$quote_rank" in sql else None
            con.execute(sql, params)
        counts = con.execute(
            "SELECT (SELECT count(*) FROM rc_scope), (SELECT count(*) FROM rc_exec), "
            "(SELECT count(*) FROM execution_conflicts AS c SEMI JOIN rc_scope AS s "
            " ON s.exchange = c.exchange AND s.account = c.account)").fetchall()[0]
    except BaseException:
        # an aborted transaction refuses the clean-up too: keep the original error
        with contextlib.suppress(duckdb.Error):
            _drop_temp(con)
        raise
    _drop_temp(con)
    return ReconcileSummary(int(counts[0]), int(counts[1]), int(counts[2]))


def _drop_temp(con: duckdb.DuckDBPyConnection) -> None:
    for table in TEMP_TABLES:
        con.execute(f"DROP TABLE IF EXISTS temp.{table}")


EXECUTIONS_MIGRATION = 10  # core/migrations/010_executions.sql


def derive_after_upgrade(ws: Workspace, applied: Iterable[int]) -> ReconcileSummary | None:
    """After ``keytrace init`` upgraded a database past the executions migration, derive the executions of
    the evidence it already held (a new database has none: nothing to do)."""
    if EXECUTIONS_MIGRATION not in set(applied):
        return None
    with ws.db.write() as con:
        if not con.execute("SELECT EXISTS (SELECT 1 FROM trades) OR EXISTS (SELECT 1 FROM orders) "
                           "OR EXISTS (SELECT 1 FROM ledger_movements)").fetchall()[0][0]:
            return None
        return reconcile(con)
