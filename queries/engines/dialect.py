"""Translate the DuckDB text of a ``queries/sql`` file into Spark SQL at run time, with sqlglot.

There is one copy of every query: the ``.sql`` file. sqlglot parses it as DuckDB and writes Spark SQL;
the rewrites below cover what sqlglot alone would change in meaning, so that both engines give the same
rows with the same exact amounts:

* ``a / b`` is always floating-point division in DuckDB (also for DECIMAL and INTEGER operands); Spark
  divides decimals exactly. Division becomes ``CAST(a AS DOUBLE) / CAST(b AS DOUBLE)``.
* ``CAST(<double> AS INTEGER)`` rounds half to even in DuckDB and truncates in Spark: a cast to an integer
  type of an expression holding a division gets ``bround``.
* ``epoch(ts)`` is seconds with the microseconds as a fraction (DOUBLE) in DuckDB; sqlglot writes Spark's
  whole-second ``unix_timestamp``. It becomes ``CAST(unix_micros(ts) AS DOUBLE) / 1000000``.
* ``median(x)`` of DECIMAL(38,18) money is exact in DuckDB (the mean of the two middle values, rounded
  half away from zero to 18 decimals); Spark's ``median`` returns DOUBLE. It becomes the middle elements
  of the sorted ``collect_list`` (NULLs skipped, NULL for no rows), halved exactly and cast back.
  The canonical tables hold money as DECIMAL(38,18), the only type the queries take medians of.
* ``strftime`` formats: literal letters (``T``, ``Z``) are quoted for Spark's ``date_format``.
* ``UPDATE t SET c = expr [WHERE cond]`` (Spark has no UPDATE on views) becomes a ``SELECT`` of all of
  t's columns with ``c`` replaced; the driver then puts the result in place of t.

Parameters (``$name``) stay bound: they become Spark's named markers (``:name``) and travel in ``args``.
"""

from __future__ import annotations

from functools import cache

import sqlglot
from sqlglot import exp

_INTEGRAL = {exp.DataType.Type.TINYINT, exp.DataType.Type.SMALLINT, exp.DataType.Type.INT,
             exp.DataType.Type.BIGINT}
_STRFTIME = {"%Y": "yyyy", "%m": "MM", "%d": "dd", "%H": "HH", "%M": "mm", "%S": "ss", "%f": "SSSSSS",
             "%j": "DDD", "%y": "yy"}


def _spark(sql: str) -> exp.Expr:
    return sqlglot.parse_one(sql, read="spark")


def _double(e: exp.Expr) -> exp.Expr:
    return exp.Cast(this=e.copy(), to=exp.DataType.build("DOUBLE"))


def _median(arg: exp.Expr) -> exp.Expr:
    arr = f"array_sort(collect_list({arg.sql('spark')}))"
    return _spark(
        f"CASE WHEN size({arr}) = 0 THEN NULL ELSE CAST("
        f"element_at({arr}, CAST((size({arr}) + 1) DIV 2 AS INT)) * 0.5"
        f" + element_at({arr}, CAST(size({arr}) DIV 2 + 1 AS INT)) * 0.5 AS DECIMAL(38,18)) END")


def _spark_time_format(fmt: str) -> str:
    out: list[str] = []
    i = 0
    literal = ""
    while i < len(fmt):
        tok = fmt[i:i + 2]
        if tok in _STRFTIME:
            if literal:
                out.append("'" + literal.replace("'", "''") + "'")
                literal = ""
            out.append(_STRFTIME[tok])
            i += 2
            continue
        ch = fmt[i]
        if ch.isalpha() or ch == "'":
            literal += ch
        else:
            if literal:
                out.append("'" + literal.replace("'", "''") + "'")
                literal = ""
            out.append(ch)
        i += 1
    if literal:
        out.append("'" + literal.replace("'", "''") + "'")
    return "".join(out)


def _contains_div(e: exp.Expr) -> bool:
    return any(isinstance(n, exp.Div) for n in e.walk())


def _rewrite(node: exp.Expr) -> exp.Expr:
    if isinstance(node, exp.Cast) and node.to.this in _INTEGRAL and _contains_div(node.this):
        return exp.Cast(this=exp.func("bround", node.this.copy()), to=node.to.copy())
    if isinstance(node, exp.Div) and not node.args.get("typed"):
        return exp.Div(this=_double(node.this), expression=_double(node.expression), typed=False, safe=False)
    if isinstance(node, exp.TimeToUnix):
        return exp.Div(this=_double(exp.func("unix_micros", node.this.copy())),
                       expression=exp.Literal.number(1000000), typed=False, safe=False)
    if isinstance(node, exp.Window) and not isinstance(node.parent, exp.Paren) and node.args.get("alias") \
            and not node.args.get("partition_by") and not node.args.get("order"):
        # `lead(x) OVER w - y`: Spark reads `w-y` as one identifier; parenthesise named-window calls
        return exp.Paren(this=node.copy())
    if isinstance(node, exp.Median):
        return _median(node.this)
    if isinstance(node, exp.TimeToStr):
        fmt = node.args["format"]
        if isinstance(fmt, exp.Literal) and fmt.is_string:
            return exp.func("date_format", node.this.copy(), exp.Literal.string(_spark_time_format(fmt.this)))
    return node


def _update_as_select(update: exp.Update, columns: list[str]) -> exp.Select:
    table = update.this
    assert isinstance(table, exp.Table)
    sets: dict[str, exp.Expr] = {}
    for eq in update.expressions:
        assert isinstance(eq, exp.EQ) and isinstance(eq.this, exp.Column)
        sets[eq.this.name.lower()] = eq.expression
    where = update.args.get("where")
    projections: list[exp.Expr] = []
    for col in columns:
        if col.lower() in sets:
            value = sets[col.lower()].copy()
            if where is not None:
                value = exp.Case(ifs=[exp.If(this=where.this.copy(), true=value)],
                                 default=exp.column(col, table=table.name))
            projections.append(exp.alias_(value, col))
        else:
            projections.append(exp.column(col, table=table.name))
    return exp.select(*projections).from_(table.copy())


@cache
def _translate(sql: str, columns: tuple[str, ...] | None) -> str:
    body = sql.strip().rstrip(";")
    tree = sqlglot.parse_one(body, read="duckdb")
    if isinstance(tree, exp.Update):
        if columns is None:
            raise ValueError("translating an UPDATE needs the updated table's columns")
        tree = _update_as_select(tree, list(columns))
    # Division first (bottom-up), so that the rewrites that introduce their own arithmetic keep it.
    tree = tree.transform(_rewrite)
    return tree.sql(dialect="spark", comments=False)


def to_spark(sql: str, columns: list[str] | None = None) -> str:
    """Spark SQL for the DuckDB text ``sql``; ``columns``: the updated table's columns, for an UPDATE."""
    return _translate(sql, tuple(columns) if columns is not None else None)


def updated_table(sql: str) -> str | None:
    """The table an ``UPDATE`` statement changes, or None for a query."""
    tree = sqlglot.parse_one(sql.strip().rstrip(";"), read="duckdb")
    if isinstance(tree, exp.Update) and isinstance(tree.this, exp.Table):
        return tree.this.name
    return None



@cache
def _split(sql: str, prefix: str, columns: tuple[str, ...] | None) -> tuple[tuple[tuple[str, str, int], ...], str]:
    body = sql.strip().rstrip(";")
    tree = sqlglot.parse_one(body, read="duckdb")
    if isinstance(tree, exp.Update):
        if columns is None:
            raise ValueError("translating an UPDATE needs the updated table's columns")
        tree = _update_as_select(tree, list(columns))
    with_ = tree.args.get("with_") or tree.args.get("with")
    if not isinstance(with_, exp.With) or with_.args.get("recursive"):
        return (), tree.transform(_rewrite).sql(dialect="spark", comments=False)
    names = {cte.alias_or_name.lower(): f"{prefix}{cte.alias_or_name.lower()}" for cte in with_.expressions}

    def rename(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and not node.args.get("db") and node.name.lower() in names:
            alias = node.args.get("alias") or exp.TableAlias(this=exp.to_identifier(node.name))
            return exp.Table(this=exp.to_identifier(names[node.name.lower()]), alias=alias)
        return node

    bodies: list[tuple[str, exp.Expr]] = []
    for cte in with_.expressions:
        bodies.append((names[cte.alias_or_name.lower()], cte.this.copy().transform(rename)))
    main = tree.copy()
    main.set("with_" if "with_" in main.args else "with", None)
    main = main.transform(rename)
    refs: dict[str, int] = dict.fromkeys(names.values(), 0)
    for _name, b in [*bodies, ("", main)]:
        for t in b.find_all(exp.Table):
            if t.name in refs:
                refs[t.name] += 1
    steps = tuple((name, b.transform(_rewrite).sql(dialect="spark", comments=False), refs[name])
                  for name, b in bodies)
    return steps, main.transform(_rewrite).sql(dialect="spark", comments=False)


def to_spark_steps(sql: str, prefix: str, columns: list[str] | None = None
                   ) -> tuple[tuple[tuple[str, str, int], ...], str]:
    """The query's top-level CTEs as separate Spark statements, each to be registered as a view named
    ``prefix + cte name`` (with how often the rest of the query reads it), and the final statement.
    Spark may recompute a CTE at every reference; the driver materialises the ones read more than once."""
    return _split(sql, prefix, tuple(columns) if columns is not None else None)
