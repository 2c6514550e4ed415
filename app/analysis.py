"""Read what detection and tracing concluded, for the investigators' pages (UI-free).

The questions are the SQL files of ``queries/sql`` (``pages/`` for questions only pages ask, ``report/``
for those the reports ask too), run through :mod:`queries.runner`. Every function checks the actor's role first. The
tables come from migration 008 (``keytrace detect`` and ``keytrace trace`` fill them); :func:`present`
tells which of them exist, so a page is offered only when its data can exist.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import duckdb

from app import access
from app.auth import User
from core.errors import InputError
from core.workspace import Workspace
from queries import runner

FINGERPRINT = re.compile(r"^[0-9a-f]{64}$")

DETECTION_TABLES = frozenset({"unauthorized_trades", "account_losses", "campaigns", "campaign_accounts",
                              "trade_scores", "compromised_keys"})
TRACE_TABLES = frozenset({"trace_runs", "trace_edges", "trace_cash_out_points"})





def run(ws: Workspace, actor: User, name: str, **params: Any) -> list[dict[str, Any]]:
    access.require(actor.role, "analysis.read")
    with ws.db.read() as con:
        return runner.run(con, name, params)


def fetch(con: duckdb.DuckDBPyConnection, actor: User, name: str, **params: Any) -> list[dict[str, Any]]:
    """One query on the caller's read connection, so that a page can ask several questions on one
    connection (opening a large database costs more than a small query)."""
    access.require(actor.role, "analysis.read")
    return runner.run(con, name, params)


_PRESENT: dict[str, tuple[float, frozenset[str]]] = {}
PRESENT_TTL = 30.0


def present(ws: Workspace) -> frozenset[str]:
    """Names of the tables that exist in the database (remembered for PRESENT_TTL seconds: tables are
    added by migrations, never removed, and asking costs a connection to a possibly large file)."""
    key = str(ws.settings.db_path)
    now = time.monotonic()
    hit = _PRESENT.get(key)
    if hit is not None and now - hit[0] < PRESENT_TTL:
        return hit[1]
    with ws.db.read() as con:
        found = frozenset(r[0] for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'main'").fetchall())
    _PRESENT[key] = (now, found)
    return found


def in_token_units(found: list[dict[str, Any]], raw: str) -> list[dict[str, Any]]:
    """Add ``coin`` (the token's symbol, else its address), ``amount`` (column ``raw`` in whole tokens, an
    exact Decimal) and ``whole`` (False when the token's decimals are unknown and ``amount`` stays in raw
    units) to rows that have ``token``, ``symbol`` and ``decimals``: the same metadata, well-known-token
    fallback and conversion as the PDF reports and bundles."""
    from decimal import Decimal

    from core.formatting import coin_name, token_amount
    from reports.bundle import KNOWN_TOKENS

    for r in found:
        token = str(r["token"])
        symbol, decimals = r.get("symbol"), r.get("decimals")
        if symbol is None and decimals is None and token.lower() in KNOWN_TOKENS:
            symbol, decimals = KNOWN_TOKENS[token.lower()]
        r["coin"] = coin_name(symbol, token)
        r["amount"] = token_amount(Decimal(r[raw]), decimals)
        r["whole"] = decimals is not None
    return found


def has_detection(tables: frozenset[str]) -> bool:
    return DETECTION_TABLES <= tables


def has_traces(tables: frozenset[str]) -> bool:
    return TRACE_TABLES <= tables


def normalise_fingerprint(text: str) -> str:
    fp = text.strip().lower()
    if not FINGERPRINT.match(fp):
        raise InputError("a key fingerprint is 64 hexadecimal digits (the SHA-256 that keytrace shows)",
                         column="fingerprint")
    return fp


def key_lookup(ws: Workspace, actor: User, fingerprint: str) -> list[dict[str, Any]]:
    return run(ws, actor, "pages/key_lookup", fingerprint=normalise_fingerprint(fingerprint))


def freshness(ws: Workspace) -> dict[str, Any]:
    """When detection last ran, on how many executions, and what evidence came in since
    (queries/sql/report/detection_freshness.sql): every page shows it, so no figure is read as current by mistake."""
    if not has_detection(present(ws)):
        return {"finished_at": None, "executions_scored": None, "executions_now": 0, "files_since": 0,
                "rows_since": 0, "stale": False}
    with ws.db.read() as con:
        return runner.run(con, "report/detection_freshness", {})[0]


def freshness_text(fresh: dict[str, Any], *, staff: bool) -> tuple[str, bool]:
    """(one sentence, stale?) for a page: staff see the counts, victims when the evidence was last analysed."""
    ran = fresh["finished_at"]
    if ran is None:
        return ("Detection has not run yet: no finding is computed." if staff else
                "keytrace has not analysed the evidence yet.", bool(fresh["stale"]))
    when = f"{ran.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    if not staff:
        return (f"Evidence last analysed {when}." + (" New evidence has arrived since; the figures will be "
                                                     "updated when it is analysed." if fresh["stale"] else ""),
                bool(fresh["stale"]))
    text = f"Detection ran {when} on {fresh['executions_scored']:,} executions."
    if fresh["stale"]:
        text += (f" Out of date: {fresh['files_since']:,} file(s) with {fresh['rows_since']:,} rows came in since, "
                 f"and {fresh['executions_now']:,} executions are held now. Run detection again.")
    return text, bool(fresh["stale"])


def run_detection(ws: Workspace, actor: User, progress: Callable[[str, float], None] | None = None) -> dict[str, Any]:
    """`keytrace detect` from the app (investigators and admins), with progress."""
    access.require(actor.role, "detection.run")
    from queries.detect import detect

    summary = detect(ws, actor=actor.actor, progress=progress)
    _PRESENT.pop(str(ws.settings.db_path), None)
    return summary.as_dict()


def run_trace(ws: Workspace, actor: User, seeds: list[str], model: str, hops: int) -> dict[str, Any]:
    """`keytrace trace` from the app (investigators and admins); the result is stored like the CLI's."""
    access.require(actor.role, "trace.run")
    from queries.trace import trace

    result = trace(ws, seeds, model, hops, actor=actor.actor)
    _PRESENT.pop(str(ws.settings.db_path), None)
    return result.as_dict()


def holdings_on(con: duckdb.DuckDBPyConnection) -> list[tuple[str, int]]:
    """What the database holds, as (label, count) in display order (queries/sql/pages/database_holdings.sql)."""
    [row] = runner.run(con, "pages/database_holdings")
    return [(label, int(value)) for label, value in row.items()]


def holdings(db: str | None) -> list[tuple[str, int]]:
    """:func:`holdings_on` for the database at ``db`` (``keytrace demo``, the tests)."""
    ws = Workspace.open(db)
    with ws.db.read() as con:
        return holdings_on(con)


def last_detection(ws: Workspace) -> datetime | None:
    """When detection last finished (None: it never ran, so no loss is computed for anyone yet)."""
    if not has_detection(present(ws)):
        return None
    with ws.db.read() as con:
        found = runner.run(con, "pages/last_detection")
    value = found[0]["finished_at"] if found else None
    return value if isinstance(value, datetime) else None


def account_has_trades(con: duckdb.DuckDBPyConnection, exchange: str, account: str) -> bool:
    """Whether any trade of the account is held (the caller has checked the claim or account is theirs to see)."""
    found = runner.run(con, "pages/account_has_trades", {"exchange": exchange, "account": account})
    return bool(found[0]["has_trades"])


def account_loss(con: duckdb.DuckDBPyConnection, exchange: str, account: str) -> dict[str, Any] | None:
    found = runner.run(con, "report/account_loss", {"exchange": exchange, "account": account})
    return found[0] if found else None
