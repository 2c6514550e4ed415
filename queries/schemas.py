"""What the stored tables must hold, checked in the database with pandera's ibis backend.

Each schema states the invariants a reader of the table relies on (a buy or a sell, positive prices
and quantities, one row per identity, the evidence kinds reconciliation knows). The checks run inside
DuckDB through ibis (``pandera.ibis``), so a 10M-row table is validated without loading it into memory.
:func:`validate` returns one sentence per broken invariant; ``keytrace audit data`` prints them.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass
from typing import Any

import duckdb
import ibis
import pandera.ibis as pa
from pandera.errors import SchemaError, SchemaErrors

SIDES = ["buy", "sell"]

SCHEMAS: dict[str, pa.DataFrameSchema] = {
    "executions": pa.DataFrameSchema({
        "exchange": pa.Column(str, nullable=False),
        "account": pa.Column(str, nullable=False),
        "side": pa.Column(str, pa.Check.isin(SIDES)),
        "price": pa.Column(checks=pa.Check.gt(0)),
        "quantity": pa.Column(checks=pa.Check.gt(0)),
        "quote_quantity": pa.Column(checks=pa.Check.ge(0)),
        "derived_from": pa.Column(str, pa.Check.isin(["fill", "order", "ledger"])),
        "source_count": pa.Column(checks=pa.Check.ge(1)),
        "source_row": pa.Column(checks=pa.Check.ge(1)),
    }, unique=["exchange", "account", "evidence_sha256", "source_row"]),
    "trades": pa.DataFrameSchema({
        "side": pa.Column(str, pa.Check.isin(SIDES)),
        "price": pa.Column(checks=pa.Check.ge(0)),
        "quantity": pa.Column(checks=pa.Check.ge(0)),
        "source_row": pa.Column(checks=pa.Check.ge(1)),
    }),
    "ledger_movements": pa.DataFrameSchema({
        "kind": pa.Column(str, pa.Check.isin(["deposit", "withdrawal", "trade", "fee", "transfer", "reward",
                                              "other"])),
        "source_row": pa.Column(checks=pa.Check.ge(1)),
    }),
    "unauthorized_trades": pa.DataFrameSchema({
        "side": pa.Column(str, pa.Check.isin(SIDES)),
        "score": pa.Column(checks=pa.Check.in_range(0, 1000)),
        "quantity": pa.Column(checks=pa.Check.gt(0)),
    }, unique=["exchange", "account", "evidence_sha256", "source_row"]),
}


@dataclass(frozen=True)
class Violation:
    table: str
    column: str | None
    check: str
    detail: str

    def sentence(self) -> str:
        where = f"{self.table}.{self.column}" if self.column else self.table
        return f"{where} fails {self.check}: {self.detail}"


def validate(con: duckdb.DuckDBPyConnection, tables: list[str] | None = None) -> list[Violation]:
    """Every broken invariant of ``tables`` (default: all of :data:`SCHEMAS`), checked in the database."""
    backend = ibis.duckdb.from_connection(con)
    found: list[Violation] = []
    with warnings.catch_warnings():
        # ibis 12 still calls DuckDB's deprecated fetch_arrow_table() and pandas' future.infer_string
        warnings.simplefilter("ignore", DeprecationWarning)
        warnings.simplefilter("ignore", FutureWarning)
        for name in tables or list(SCHEMAS):
            table = backend.table(name)
            if int(table.count().execute()) == 0:  # nothing to check (the ibis backend misreads empty tables)
                continue
            try:
                SCHEMAS[name].validate(table, lazy=True)
            except SchemaErrors as errors:
                found += [_violation(name, err) for err in errors.schema_errors]
            except SchemaError as err:
                found.append(_violation(name, err))
    return found


def _violation(table: str, err: SchemaError) -> Violation:
    column = getattr(err, "column_name", None)
    schema = getattr(err, "schema", None)
    if column is None and isinstance(schema, pa.Column):
        column = schema.name
    check = getattr(err, "check", None)
    if check is not None and not isinstance(check, str):
        what = str(getattr(check, "error", None) or getattr(check, "name", None) or check)
    else:
        what = str(check or getattr(err, "reason_code", None) or "the schema")
    cases: Any = getattr(err, "failure_cases", None)
    if cases is not None and "failure_case" in getattr(cases, "columns", ()):
        values = [str(v) for v in list(cases["failure_case"])[:3]]
        detail = f"{len(cases):,} rows, e.g. {'; '.join(values)}"
    elif "uniqueness" in what:
        keys = ", ".join(SCHEMAS[table].unique or [])
        detail = f"some rows share ({keys}), which identifies one row"
        what = "uniqueness"
    else:
        detail = " ".join(str(err).split())
    return Violation(table, str(column) if column else None, what, detail[:300])
