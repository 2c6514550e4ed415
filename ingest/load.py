"""The only way into DuckDB for exchange exports: stage -> validate -> merge.

1. **Stage** (no lock held): the file is read by DuckDB's CSV reader, every field as text, into a
   private temporary DuckDB file; the format's SQL turns the text into canonical rows there. Nothing
   runs in Python per row, so a file of any size streams through DuckDB's buffer manager.
2. **Validate** (no lock held): ``validate_<kind>.sql`` lists every bad row with the file's column and
   a reason. Unless ``skip_bad_rows``, one bad row refuses the whole file. ``repeats.sql`` and
   ``finalize.sql`` number identical rows (``occurrence``) so that identical fills in one second stay distinct.
3. **Merge** (``ws.db.write()``, one transaction): the evidence file is stored, the staged file is
   attached read-only and ``merge_<kind>.sql`` adds only rows whose (natural key, occurrence) the
   account lacks; the run, its rejects and an audit entry are written in the same transaction.

Its length (about 400 lines) is the two halves of one contract, staging and merging, which share the
staged-table layout; splitting them would split that layout across modules.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import tempfile
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from core import audit, sqlfiles
from core.db import install_macros, table_columns, utcnow
from core.errors import EvidenceOfAnotherAccount, InputError, Problem, Quarantined, ValidationError
from core.evidence import abandoned, store
from core.workspace import Workspace
from ingest.formats.assets import ASSET_SUFFIX_REGEX, PAIR_REGEX, QUOTE_ASSETS
from ingest.formats.base import INGEST_SQL, FileHead, FormatSpec, Options, column_names, header_offset_minutes
from ingest.reconcile import reconcile

STAGE_MEMORY_LIMIT = "1GB"
MERGE_MEMORY_LIMIT = "1GB"
MAX_PROBLEMS_SHOWN = 20
ISO_TIME_FORMATS = ["%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M"]
DAYFIRST_TIME_FORMATS = ["%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d.%m.%Y %H:%M:%S", "%d.%m.%Y %H:%M",
                         "%d-%m-%Y %H:%M:%S", "%d-%m-%Y %H:%M", "%d/%m/%y %H:%M", "%d/%m/%y %H:%M:%S"]
_SPREADSHEET_DATE = re.compile(r"^\s*(\d{1,2}[/.]\d{1,2}[/.]\d{2,4}|\d{1,2}-\d{1,2}-\d{4})(\s|$)")
_IDENT = re.compile(r"^[a-z_][a-z0-9_]*$")
_TOP_SELECT = re.compile(r"^SELECT\b", re.MULTILINE)
_NULL_COLUMN = re.compile(r"^\s+CAST\(NULL AS ([A-Z]+(?:\(\d+(?:,\s*\d+)?\))?)\) AS ([a-z_][a-z0-9_]*),?\s*$",
                          re.MULTILINE)

ProgressFn = Callable[[str, float], None]
EXECUTION_KINDS = ("trades", "orders", "ledger_movements")  # the evidence executions are derived from
# The natural key of each kind whose rows may legitimately repeat in one file (two fills alike to the last
# digit): identical rows are numbered on it (repeats.sql) and merge_<kind>.sql matches stored rows on it
# and that number (a test keeps the two the same).
NATURAL_KEYS: dict[str, tuple[str, ...]] = {
    "trades": ("account", "time_utc", "base_asset", "quote_asset", "side", "price", "quantity", "quote_quantity",
               "fee", "fee_asset", "order_id", "trade_id"),
    "orders": ("account", "order_id", "created_utc", "updated_utc", "base_asset", "quote_asset", "side",
               "order_type", "order_price", "order_quantity", "filled_quantity", "filled_quote", "avg_price",
               "status"),
    "ledger_movements": ("account", "time_utc", "wallet", "operation", "asset", "amount", "fee", "tx_hash",
                         "ref_id", "address"),
}


sql_text = INGEST_SQL.text
bind = sqlfiles.bind


def run(con: duckdb.DuckDBPyConnection, sql: str, params: Mapping[str, Any] | None = None) -> list[tuple[Any, ...]]:
    return con.execute(sql, bind(sql, params or {})).fetchall()


@dataclass(frozen=True)
class Staged:
    """A file read, parsed and validated into a private staging database, ready to merge."""

    db_path: Path
    spec: FormatSpec
    name: str
    rows_read: int
    rows_good: int
    problems: tuple[Problem, ...]   # the first bad rows (all of them are in the staging table)
    rows_bad: int
    accounts: tuple[str, ...]       # UIDs found in the file
    flagged: tuple[Problem, ...]    # rows holding formula-like text (stored inert)
    flagged_count: int
    masked_accounts: tuple[str, ...] = ()  # masked UIDs the file shows (KuCoin: *****3866), not accounts
    file_rows: int = 0              # the file's data rows (rows_read counts staged rows, which a format
                                    # that filters or multiplies rows makes fewer or more)


@contextmanager
def staging_dir() -> Iterator[Path]:
    """A private folder for one ingest's staging database, named after this process.

    Folders of processes that died mid-ingest (kill -9, power loss) hours ago are removed first: a
    staged copy of a large export must not stay in the temporary folder for good.
    """
    for left in Path(tempfile.gettempdir()).glob("keytrace-stage-*-*"):
        if abandoned(left, left.name.split("-")[2]):
            shutil.rmtree(left, ignore_errors=True)
    with tempfile.TemporaryDirectory(prefix=f"keytrace-stage-{os.getpid()}-") as tmp:
        yield Path(tmp)


def _connect_stage(db_path: Path) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(str(db_path))
    con.execute("SET TimeZone = 'UTC'")
    con.execute(f"SET memory_limit = '{STAGE_MEMORY_LIMIT}'")
    con.execute("SET temp_directory = ?", [str(db_path.parent / "spill")])
    install_macros(con)
    con.execute(sql_text("macros"))
    return con


def constant_null_columns(format_sql: str) -> dict[str, str]:
    """The columns that the final SELECT of a format's SQL writes as ``CAST(NULL AS type) AS name``.

    The final SELECT is the last one that starts a line (a CTE's SELECTs are indented), which in a
    row-local format (no UNION) is the only one that makes the output.
    """
    starts = [m.end() for m in _TOP_SELECT.finditer(format_sql)]
    tail = format_sql[starts[-1]:] if starts else ""
    return {name: type_ for type_, name in _NULL_COLUMN.findall(tail) if _IDENT.match(name)}


def time_formats(spec: FormatSpec, head: FileHead, options: Options) -> str | list[str]:
    """The strptime formats of the file's times; refuses spreadsheet-resaved dates without --dayfirst."""
    if spec.time_column and not options.dayfirst:
        names = spec.columns or column_names(head.raw_header)
        if spec.time_column in names:
            idx = names.index(spec.time_column)
            for n, row in enumerate(head.sample, start=1):
                if idx < len(row) and _SPREADSHEET_DATE.match(row[idx]):
                    raise InputError(
                        f"the time {row[idx].strip()!r} is written day/month/year, as a spreadsheet writes it "
                        "when it re-saves an export, so day and month cannot be told apart safely; ingest the "
                        "file as the exchange produced it, or pass --dayfirst if the day comes first",
                        file=head.name, row=n, column=head.raw_header[idx])
    if options.dayfirst:
        return DAYFIRST_TIME_FORMATS
    formats = spec.extra.get("time_formats")
    if isinstance(formats, str):
        return formats  # a single format: strptime with one format is ~3x faster than with a list
    return list(formats) if formats else ISO_TIME_FORMATS


def _is_csv_error(exc: duckdb.Error) -> bool:
    text = str(exc).lower()
    return "csv" in text or "line" in text or "unicode" in text or "utf-8" in text


def _csv_error(exc: duckdb.Error, head: FileHead) -> InputError:
    """One sentence (file, row, reason) from DuckDB's CSV reader error."""
    text = str(exc)
    lower = text.lower()
    m = re.search(r"line[: ]+(\d+)", text, re.IGNORECASE)
    row = int(m.group(1)) - head.header_line - 1 if m else None
    if "unicode" in lower or "utf-8" in lower:
        reason = "the row is not UTF-8 text (binary bytes or another encoding)"
    elif "unterminated quote" in lower:
        reason = "a quoted field is not closed (is the last line cut off?)"
    elif "expected" in lower and "column" in lower:
        reason = "the row has more fields than the header"
    else:
        lines = [ln.strip() for ln in text.splitlines() if ln.strip()]
        after = [ln for ln in lines[1:] if not ln.lower().startswith(("original line", "possible"))]
        reason = (after[0] if after else re.sub(r"^[A-Za-z ]*Error:\s*", "", lines[0] if lines else "")).rstrip(".")
    return InputError(f"the file cannot be read as CSV: {reason}", file=head.name,
                      row=row if row and row > 0 else None)


def stage(path: Path, head: FileHead, spec: FormatSpec, options: Options, workdir: Path, *,
          csv_delimiter: str = ",", progress: ProgressFn | None = None) -> Staged:
    """Read ``path`` into ``workdir/stage.duckdb`` as canonical rows of ``spec.kind`` (no lock held)."""
    formats = time_formats(spec, head, options)
    db_path = workdir / "stage.duckdb"
    names = list(spec.columns or column_names(head.raw_header))
    names += [f"extra_{i}" for i in range(len(names) + 1, len(head.raw_header) + 1)]
    widest = max((len(r) for r in head.sample), default=len(names))
    names += [f"extra_{i}" for i in range(len(names) + 1, widest + 1)]
    offset = header_offset_minutes(head.raw_header, spec.default_offset_minutes)
    params: dict[str, Any] = {
        "path": str(path),
        "skip": head.header_line + 1,
        "delimiter": head.delimiter if csv_delimiter == "," else csv_delimiter,
        "columns": {n: "VARCHAR" for n in names},
        "time_format": formats,
        "offset_minutes": offset,
        "time_header": _header_of(spec.time_column, names, head),
        "pair_regex": PAIR_REGEX,
        **{f"quotes_{n}": [q for q in QUOTE_ASSETS if len(q) == n] for n in (3, 4, 5)},
        "asset_suffix_regex": ASSET_SUFFIX_REGEX,
        "file_name": head.name,
    }
    if spec.params is not None:
        params.update(spec.params(head, options))
    con = _connect_stage(db_path)
    if options.decimal_comma:  # --decimal-comma: 1.234,56 -> 1234.56 in every number the format parses
        con.execute("CREATE OR REPLACE MACRO kt_num_text(x) AS replace(replace(trim(x), '.', ''), ',', '.')")
    try:
        if progress:
            progress("reading", 0.1)
        read_sql = sql_text("read_raw")
        try:
            con.sql(read_sql, params=bind(read_sql, params)).to_view("raw_file")
            extra = [c for c in spec.optional_columns if c not in names]
            for c in extra:
                if not _IDENT.match(c):
                    raise ValueError(f"bad optional column name {c!r} in {spec.name}")
            added = "".join(f", CAST(NULL AS VARCHAR) AS {c}" for c in extra)
            # raw_numbered numbers the rows with a window, which runs on one thread; a row-local format
            # reads `raw` unnumbered instead, and its staged rows are numbered by their order (rowid),
            # which DuckDB keeps for a plain SELECT from one table function
            con.execute("CREATE VIEW raw_numbered AS "  # noqa: S608 - constants only
                        f"SELECT row_number() OVER () AS source_row, *{added} FROM raw_file")
            if spec.row_local:
                con.execute(f"CREATE VIEW raw AS SELECT CAST(NULL AS BIGINT) AS source_row, *{added} "  # noqa: S608
                            "FROM raw_file")
            else:
                con.execute("CREATE VIEW raw AS SELECT * FROM raw_numbered")
            format_sql = spec.sql_path.read_text()
            if spec.row_local:
                # the staged file omits source_row (its rowid + 1) and the columns the format leaves NULL
                # (each costs as much to store as real data); the `staged` view puts them back
                nulls = constant_null_columns(format_sql)
                left_out = ", ".join(["source_row", *nulls])
                con.execute(f"CREATE TABLE staged_rows AS SELECT * EXCLUDE ({left_out}) FROM ({format_sql}\n)",
                            bind(format_sql, params))
                added_back = "".join(f", CAST(NULL AS {t}) AS {c}" for c, t in nulls.items())
                con.execute(f"CREATE VIEW staged AS SELECT rowid + 1 AS source_row, *{added_back}, "  # noqa: S608
                            "rowid AS stage_row FROM staged_rows")
            else:
                con.execute("CREATE TABLE staged_rows AS " + format_sql, bind(format_sql, params))
                # stage_row tells apart the rows one data row makes (a trade's legs), which share source_row
                con.execute("CREATE VIEW staged AS SELECT *, rowid AS stage_row FROM staged_rows")
        except duckdb.Error as exc:
            if not _is_csv_error(exc):
                raise
            raise _csv_error(exc, head) from None
        if progress:
            progress("validating", 0.5)
        validate_sql = sql_text(f"validate_{spec.kind}")
        con.execute("CREATE TABLE problems AS " + validate_sql)
        beyond = names[len(head.raw_header):]  # fields some sampled rows have past the header's end
        if beyond and all(_IDENT.match(c) for c in beyond):
            any_filled = " OR ".join(f"r.{c} IS NOT NULL" for c in beyond)
            con.execute("INSERT INTO problems SELECT r.source_row, NULL, 'the row has more fields than the header' "
                        f"FROM raw_numbered AS r WHERE ({any_filled}) AND r.source_row NOT IN "  # noqa: S608
                        "(SELECT p.source_row FROM problems AS p)")
        rows_read = int(run(con, "SELECT count(*) FROM staged")[0][0])
        # a row-local format stages one row per data row; any other is counted on the file (one more pass)
        file_rows = rows_read if spec.row_local else int(run(con, "SELECT count(*) FROM raw_file")[0][0])
        rows_bad = int(run(con, "SELECT count(*) FROM problems")[0][0])
        shown = con.execute(
            "SELECT source_row, column_name, reason FROM problems ORDER BY source_row LIMIT ?",
            [MAX_PROBLEMS_SHOWN]).fetchall()
        problems = tuple(Problem(head.name, int(r), c, reason) for r, c, reason in shown)
        # the raw text of bad rows, for ingest_rejects (a second pass over the file, only when needed)
        con.execute("CREATE TABLE rejects AS " + sql_text("raw_line") + (" LIMIT 0" if rows_bad == 0 else ""))
        if spec.kind in NATURAL_KEYS:  # identical rows of the file, numbered (read below)
            con.execute("CREATE TABLE repeats AS " + sql_text("repeats"), {"key_columns": list(NATURAL_KEYS[spec.kind])})
        else:  # a kind without a natural key (a bar, a key record) is never numbered
            con.execute("CREATE TABLE repeats (stage_row BIGINT, occurrence BIGINT)")
        # `final` is a view: the merge reads it straight from the staged rows (no second copy)
        con.execute("CREATE VIEW final AS " + sql_text("finalize"))
        rows_good = rows_read - int(run(con, "SELECT count(DISTINCT source_row) FROM problems")[0][0])
        accounts = tuple(str(r[0]) for r in run(con, sql_text("staged_accounts")))
        masked = _masked_accounts(con, spec, names, head)
        stored = _stored_text_columns(con, spec.kind)
        if stored:  # the kind's stored text columns (no 2nd pass over the file)
            flagged_rows = con.execute(sql_text("formula_cells_stored"), {"text_columns": stored}).fetchall()
            flagged = tuple(Problem(head.name, int(r), col, f"formula-like text stored inert: {val[:80]!r}")
                            for r, col, val in flagged_rows[:MAX_PROBLEMS_SHOWN])
            if rows_bad:  # refused rows are kept as raw text in ingest_rejects: flag those too
                bad_rows = con.execute(sql_text("formula_rejects")).fetchall()
                flagged_rows += bad_rows
                flagged += tuple(Problem(head.name, int(r), None, f"formula-like text in a refused row: {line[:80]!r}")
                                 for r, line in bad_rows[:MAX_PROBLEMS_SHOWN])
        else:  # every field of the file
            flagged_rows = con.execute(sql_text("formula_cells")).fetchall()
            flagged = tuple(Problem(head.name, int(r), None, f"formula-like text stored inert: {line[:80]!r}")
                            for r, line in flagged_rows[:MAX_PROBLEMS_SHOWN])
        con.execute("CHECKPOINT")
    finally:
        con.close()
    return Staged(db_path, spec, head.name, rows_read, rows_good, problems, rows_bad, accounts, flagged,
                  len(flagged_rows), masked, file_rows)


def _stored_text_columns(con: duckdb.DuckDBPyConnection, kind: str) -> list[str]:
    """The text columns the kind's table stores that the staged rows carry, in table order (what a
    spreadsheet could run as a formula once exported)."""
    staged = {str(r[0]) for r in run(con, "SELECT column_name FROM information_schema.columns "
                                         "WHERE table_name = 'staged'")}
    return [c for c, ty in table_columns(kind) if ty == "VARCHAR" and c in staged]


def _masked_accounts(con: duckdb.DuckDBPyConnection, spec: FormatSpec, names: list[str],
                     head: FileHead) -> tuple[str, ...]:
    """The masked UIDs (``*****3866``) of the spec's account column; the file is read again only when its
    first rows show one (the format SQL stores no account for them)."""
    column = spec.account_column
    if not column or column not in names or not _IDENT.match(column):
        return ()
    idx = names.index(column)
    if not any(idx < len(row) and "*" in row[idx] for row in head.sample):
        return ()
    found = con.execute(f"SELECT DISTINCT trim({column}) FROM raw_numbered "  # noqa: S608 - checked identifier
                        f"WHERE contains({column}, '*') ORDER BY 1 LIMIT 20").fetchall()
    return tuple(str(r[0]) for r in found)


def _header_of(column: str | None, names: list[str], head: FileHead) -> str:
    if column and column in names and names.index(column) < len(head.raw_header):
        return head.raw_header[names.index(column)]
    return column or ""


def refuse_bad_rows(staged: Staged) -> None:
    if staged.rows_bad:
        raise ValidationError(list(staged.problems), total_bad=staged.rows_bad)


# (connection, sha256, exchange, account) -> [(signal, detail)]: see merge()
ScreenFn = Callable[[duckdb.DuckDBPyConnection, str, str, str], list[tuple[str, str]]]


def _refuse_evidence_of_another_account(con: duckdb.DuckDBPyConnection, sha: str, exchange: str, account: str,
                                        name: str) -> None:
    text = sql_text("evidence_held_by_other_account")
    holders = tuple(str(r[0]) for r in con.execute(text, bind(text, {"sha": sha, "exchange": exchange,
                                                                     "account": account})).fetchall())
    if holders:
        raise EvidenceOfAnotherAccount(
            f"{name} names no account in its rows and is already the evidence of {exchange}:{', '.join(holders)}; "
            f"one file cannot be the evidence of two accounts, so it was not stored under {account} (if it was "
            "filed under the wrong account, withdraw that upload or ask an investigator to remove its rows "
            "first)", holders=holders)


@dataclass(frozen=True)
class MergeOutcome:
    run_id: str
    rows_added: int
    rows_rejected: int
    evidence_is_new: bool


def merge(ws: Workspace, staged: Staged, source: Path, *, sha: tuple[str, int], exchange: str, account: str,
          actor: str, skip_bad_rows: bool, case_id: str | None = None, claim_id: int | None = None,
          started_at: Any = None, also: Sequence[Staged] = (), prepared: Path | None = None,
          screen: ScreenFn | None = None) -> MergeOutcome:
    """Store the evidence and merge the staged rows, all in one write transaction.

    ``also`` holds the other parts of the same file (the format's companions, each staged into its own
    kind); they are merged in the same transaction, under the same run. ``prepared`` is the evidence
    copy sealed in advance (see :func:`core.evidence.seal_in_advance`). ``screen`` is called with the
    connection once the rows are merged and the executions re-derived; signals it returns roll it all
    back (:class:`core.errors.Quarantined`). Without it, a file without a UID that another account
    already holds is refused.
    """
    run_id = str(uuid.uuid4())
    spec = staged.spec
    parts = [staged, *(p for p in also if p.rows_read)]
    added = rejected = 0
    found = list(dict.fromkeys(a for part in parts for a in part.accounts))
    with ws.db.write() as con:
        if screen is None and not found and account:
            _refuse_evidence_of_another_account(con, sha[0], exchange, account, staged.name)
        # the merge streams staged rows into the table; keep its working memory bounded like the staging's
        con.execute(f"SET memory_limit = '{MERGE_MEMORY_LIMIT}'")
        con.execute("SET preserve_insertion_order = false")
        record = store(ws, con, source, kind="exchange_export", submitted_by=actor, original_name=staged.name,
                       case_id=case_id, claim_id=claim_id, known_sha256=sha, prepared=prepared)
        for part in parts:
            params = {"exchange": exchange, "account": account, "sha": sha[0], "run_id": run_id,
                      "format": part.spec.name}
            con.execute("ATTACH ? AS stage (READ_ONLY)", [str(part.db_path)])
            try:
                merge_sql = sql_text(f"merge_{part.spec.kind}")
                added += int(con.execute(merge_sql, bind(merge_sql, params)).fetchall()[0][0])
                if skip_bad_rows and part.rows_bad:
                    rej_sql = sql_text("insert_rejects")
                    rejected += int(con.execute(rej_sql, bind(rej_sql, params)).fetchall()[0][0])
            except BaseException:
                # an aborted transaction refuses DETACH too: keep the original error (e.g. a full disk)
                with contextlib.suppress(duckdb.Error):
                    con.execute("DETACH stage")
                raise
            con.execute("DETACH stage")
        accounts = found or ([account] if account and any(p.spec.needs_account for p in parts) else [])
        for acct in accounts:
            con.execute("INSERT INTO accounts (exchange, account, first_seen_run) VALUES (?, ?, ?) "
                        "ON CONFLICT DO NOTHING", [exchange, acct, run_id])
        if added and any(p.spec.kind in EXECUTION_KINDS for p in parts):
            # the accounts' one execution history, re-derived from all their evidence (ingest/reconcile.py)
            reconcile(con, [(exchange, acct) for acct in accounts])
        if screen is not None:
            signals = screen(con, sha[0], exchange, account)
            if signals:
                raise Quarantined(signals)
        # account_from_file: the file's own rows name the account (a UID column), rather than --account
        con.execute(
            "INSERT INTO ingest_runs (run_id, started_at, finished_at, actor, evidence_sha256, source_name, "
            "format, exchange, account, account_from_file, rows_read, rows_added, rows_rejected, status, "
            "evidence_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [run_id, started_at or utcnow(), utcnow(), actor, sha[0], staged.name, spec.name, exchange,
             ",".join(accounts) or None, bool(found) if accounts else None, staged.file_rows,
             added, rejected, "committed" if added else "no_change", spec.evidence_kind])
        audit.record(con, ws.keys, ws.settings, actor=actor, action="ingest", obj=f"evidence:{sha[0]}",
                     details={"run_id": run_id, "format": spec.name, "exchange": exchange,
                              "rows_read": staged.file_rows, "rows_added": added,
                              "rows_rejected": rejected, "formula_like_rows": staged.flagged_count,
                              "parts": [p.spec.name for p in parts]})
    return MergeOutcome(run_id, added, rejected, record.is_new)
