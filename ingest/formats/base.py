"""What an export format is, and the registry that finds every format keytrace knows.

A format is described by one :class:`FormatSpec`: its name (``binance_trade_history``), the exchange,
the canonical table it fills (``trades``, ``orders`` or ``ledger_movements``), a one-line description
for the "known formats" list, how to recognise it (a regular expression over the normalised header
line, optionally one over the file name) and how its rows become canonical rows (a ``.sql`` file under
``ingest/sql/formats/`` that selects from the staged text table ``raw``).

How to add a format
-------------------
1. Create ``ingest/formats/<exchange>_<kind>.py`` exporting ``FORMATS: list[FormatSpec]``. Nothing
   else needs an edit: :func:`registry` imports every module of this package that has ``FORMATS``.
2. Give it a ``header`` regular expression, matched (fully) against the header line after
   normalisation: BOM, surrounding quotes and spaces and footnote marks (``¹²³``) removed, fields
   joined with ``,``. Add ``file_name`` when the header alone is ambiguous (Binance deposit and
   withdrawal v1 share one header; the direction is in the file name).
3. Write ``ingest/sql/formats/<name>.sql``: one ``SELECT ... FROM raw`` returning the columns of
   :data:`KIND_COLUMNS` for the kind, plus ``source_row``, ``account`` (NULL when the file has no
   UID), ``_bad_column`` and ``_bad_reason`` (NULL when the row is good; else the file's own column
   name and one short reason). ``raw`` holds every field as VARCHAR (empty = NULL), in columns named
   by :func:`column_slug` of the header (``Date(UTC+1)`` -> ``date``, ``Filled Volume (USDT)`` ->
   ``filled_volume_usdt``, a repeated name gets ``_2``, an unnamed one ``extra_N``), plus
   ``source_row`` (1-based data row, header excluded). ``columns`` names them explicitly instead
   (for a variant whose header differs only in names). Use the macros of ``ingest/sql/macros.sql``
   (``kt_dec``, ``kt_time``, ...). Parameters are bound: ``$offset_minutes`` (the zone of the
   header, see :func:`header_offset_minutes`), ``$time_format`` (``--dayfirst`` switches it), the
   asset regular expressions of :mod:`ingest.formats.assets`, and whatever ``params`` adds.
   A format whose times are not ``YYYY-MM-DD HH:MM:SS`` names its strptime formats in
   ``extra={"time_formats": [...]}`` (a single string is fastest); ``--dayfirst`` replaces them with
   day-first formats, and day-first dates (``14/04/2020 10:41``) are refused without it.
4. If the SQL filters rows, unions, groups, joins or uses a window (anything but one output row per
   ``raw`` row, in order), set ``row_local=False``: such a format reads ``raw`` numbered by a window.
   A row-local one (the default) reads ``raw`` unnumbered, its staged rows are numbered by their order,
   and the columns it writes as ``CAST(NULL AS type) AS name`` are not stored twice;
   ``tests/ingest/test_row_local.py`` fails if the flag and the SQL disagree.
5. Put a small fixture under ``tests/fixtures/exchange_exports/`` and a test that ingests it and
   asserts exact values.

What happens next is the kind's, not the format's: ``ingest/sql/validate_<kind>.sql`` lists bad rows
and ``merge_<kind>.sql`` adds the rows the account lacks; between them one query serves every kind:
``repeats.sql`` numbers identical rows on the kind's natural key (``ingest.load.NATURAL_KEYS``),
``finalize.sql`` is the view the merge reads, and ``formula_cells_stored.sql`` flags spreadsheet formulas
in the text columns its table stores.

All parsing happens in DuckDB over text columns: no Python runs per row, so files of any size stream.

Beyond CSV exports
------------------
* Files that are not a CSV with a header (JSON API responses, headerless Binance kline files, zips that
  are not XLSX) are turned into one by :func:`ingest.convert.prepare` before sniffing; give the
  format the header that module writes.
* ``kind`` may also be ``price_bars``, ``bot_orders`` or ``api_keys`` (``needs_account=False`` for
  data that belongs to no account, such as reference prices).
* A file holding two kinds (a Coinbase history: trades and balance changes) names the second format
  in ``companions``; that format is ``companion_only``, reads the same staged file, and its rows are
  merged in the same transaction and ingest run.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any, Literal

from core import sqlfiles

Kind = Literal["trades", "orders", "ledger_movements", "price_bars", "bot_orders", "api_keys"]

# Columns each kind's format SQL must return (besides source_row, account, _bad_column, _bad_reason).
KIND_COLUMNS: dict[str, tuple[str, ...]] = {
    "trades": ("time_utc", "base_asset", "quote_asset", "side", "price", "quantity", "quote_quantity",
               "fee", "fee_asset", "order_id", "trade_id", "counter_order_id", "channel", "liquidity"),
    "orders": ("order_id", "created_utc", "updated_utc", "base_asset", "quote_asset", "side", "order_type",
               "order_price", "order_quantity", "filled_quantity", "filled_quote", "avg_price",
               "avg_price_text", "fee", "fee_asset", "status", "channel", "tags"),
    "ledger_movements": ("time_utc", "wallet", "kind", "operation", "asset", "amount", "fee", "status",
                         "address", "tx_hash", "network", "remark", "ref_id"),
    # reference prices (no account): source is the spec's exchange
    "price_bars": ("pair", "interval", "open_time", "open", "high", "low", "close", "volume", "quote_volume",
                   "trade_count"),
    # the bot platform's log: platform is the spec's exchange (3commas)
    "bot_orders": ("exchange", "platform_account_id", "deal_id", "bot_id", "order_id", "time_utc", "base_asset",
                   "quote_asset", "side", "quantity", "price", "price_text"),
    # API-key records (fingerprint from Options.api_key_fingerprint, never the key)
    "api_keys": ("fingerprint", "created_utc", "permissions", "ip_restricted"),
}

SQL_DIR = Path(__file__).resolve().parent.parent / "sql"
INGEST_SQL = sqlfiles.SqlFiles(SQL_DIR, "ingest statement")  # formats/, reconcile/ and the steps of a load
_FOOTNOTES = str.maketrans("", "", "¹²³⁴⁵⁶⁷⁸⁹⁰*")


@dataclass(frozen=True)
class FileHead:
    """What sniffing saw of a file: its (sanitised) name, the header line and the lines after it."""

    name: str
    header: tuple[str, ...]          # normalised header fields
    raw_header: tuple[str, ...]      # header fields as written (BOM and quotes removed)
    header_line: int                 # 0-based line index of the header in the file
    sample: tuple[tuple[str, ...], ...]  # the first data rows, split into fields
    delimiter: str = ","
    preamble: tuple[str, ...] = ()   # the non-blank lines above the header (OKX: ``UID:...,Time Zone:UTC+8``)

    @property
    def header_text(self) -> str:
        return ",".join(self.header)


@dataclass(frozen=True)
class Options:
    """What the caller said about the file (the command line's flags)."""

    exchange: str | None = None
    account: str | None = None
    dayfirst: bool = False
    api_key_fingerprint: str | None = None    # core.fingerprint of --api-key; the key itself is not kept
    decimal_comma: bool = False               # --decimal-comma: numbers written 1.234,56 (a European re-save)


@dataclass(frozen=True)
class FormatSpec:
    """One export format of one exchange. See the module docstring for how to add one."""

    name: str
    exchange: str
    kind: Kind
    description: str
    header: str                               # regex, fully matched against FileHead.header_text
    file_name: str | None = None              # regex searched in the file name (case-insensitive)
    sql: str | None = None                    # file under ingest/sql/formats/, default f"{name}.sql"
    time_column: str | None = None            # raw column holding the row time (Excel-date detection)
    account_column: str | None = None         # raw column holding the exchange UID, if the file has one
    optional_columns: tuple[str, ...] = ()    # raw columns some variants lack (added as NULL)
    columns: tuple[str, ...] | None = None    # raw column names to use instead of the header's slugs
    default_offset_minutes: int = 0           # zone when the header names none (KuCoin: UTC+8)
    empty_markers: tuple[str, ...] = ("No matching records found.",)
    params: Callable[[FileHead, Options], Mapping[str, Any]] | None = None
    priority: int = 0                         # higher wins when two formats match
    extra: Mapping[str, Any] = field(default_factory=dict)
    # further formats (by name) whose SQL reads the same staged file into another kind, merged in the
    # same transaction and run (a Coinbase history holds trades and balance changes)
    companions: tuple[str, ...] = ()
    companion_only: bool = False              # never sniffed on its own; runs only as a companion
    needs_account: bool = True                # False for reference prices and other account-less data
    # the SQL maps each raw row to exactly one staged row (no join, grouping, window, filter, union or
    # subquery), so the staging numbers rows by their order instead of a row_number() window, which
    # runs on one thread (tests/ingest/test_row_local.py checks the flag against each SQL's syntax tree)
    row_local: bool = True
    # a ledger that records every balance change, trade legs included (a statement): its period is
    # evidence of what was traded; a deposit or withdrawal history's is not
    records_trades: bool = False

    @property
    def evidence_kind(self) -> str:
        """fills | orders | statement | transfers | prices | bot_orders | api_keys (ingest_runs.evidence_kind)."""
        if self.kind == "ledger_movements":
            return "statement" if self.records_trades else "transfers"
        return {"trades": "fills", "price_bars": "prices"}.get(self.kind, self.kind)

    def matches(self, head: FileHead) -> bool:
        if self.companion_only:
            return False
        if not re.fullmatch(self.header, head.header_text, flags=re.IGNORECASE):
            return False
        return self.file_name is None or re.search(self.file_name, head.name, flags=re.IGNORECASE) is not None

    @property
    def sql_path(self) -> Path:
        return SQL_DIR / "formats" / (self.sql or f"{self.name}.sql")


def normalise_field(text: str) -> str:
    """A header field without BOM, quotes, footnote marks and surrounding blanks."""
    return text.replace("\ufeff", "").strip().strip('"').strip().translate(_FOOTNOTES).strip()


_ZONE = re.compile(r"\s*\(\s*UTC\s*(?:[+-]\s*\d{1,2}(?::?\d{2})?)?\s*\)\s*$", re.IGNORECASE)


def column_slug(field_text: str) -> str:
    """The raw-table column name of a header field: lower case, zone suffix removed, ``_`` for the rest."""
    text = _ZONE.sub("", normalise_field(field_text))
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


def column_names(header: tuple[str, ...]) -> tuple[str, ...]:
    names: list[str] = []
    seen: dict[str, int] = {}
    for i, text in enumerate(header, start=1):
        slug = column_slug(text) or f"extra_{i}"
        if slug[0].isdigit():
            slug = "c_" + slug
        seen[slug] = seen.get(slug, 0) + 1
        names.append(slug if seen[slug] == 1 else f"{slug}_{seen[slug]}")
    return tuple(names)


_OFFSET = re.compile(r"\(\s*UTC\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?\s*\)", re.IGNORECASE)


def header_offset_minutes(fields: tuple[str, ...], default: int = 0) -> int:
    """The zone a header names (``Date(UTC+1)``, ``Time(UTC-03:30)``) in minutes east of UTC."""
    for text in fields:
        if re.search(r"\(\s*UTC\s*\)", text, re.IGNORECASE):
            return 0
        m = _OFFSET.search(text)
        if m:
            minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
            return minutes if m.group(1) == "+" else -minutes
    return default


def offset_from_name(name: str, default: int = 0) -> int:
    """The zone a file name carries (``...-202609301805(UTC+2)-part1-of1.csv``)."""
    return header_offset_minutes((name,), default)


@cache
def registry() -> tuple[FormatSpec, ...]:
    """Every FormatSpec of every module in ingest/formats/ that exports FORMATS, highest priority first."""
    import ingest.formats as package

    found: list[FormatSpec] = []
    names: set[str] = set()
    for info in sorted(pkgutil.iter_modules(package.__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name == "base":
            continue
        module = importlib.import_module(f"ingest.formats.{info.name}")
        for spec in getattr(module, "FORMATS", []):
            if spec.name in names:
                raise RuntimeError(f"two formats are named {spec.name}")
            names.add(spec.name)
            found.append(spec)
    found.sort(key=lambda s: (-s.priority, s.name))
    return tuple(found)


def spec_named(name: str) -> FormatSpec:
    """The registered format called ``name``."""
    for spec in registry():
        if spec.name == name:
            return spec
    raise KeyError(f"no format is named {name}")


def known_format_names() -> str:
    """The format names grouped by exchange, e.g. ``binance (binance_trade_history, ...), kraken (...)``: the
    list an unknown file's error shows (docs/ingest.md gives each format's header)."""
    groups: dict[str, list[str]] = {}
    for spec in registry():
        if not spec.companion_only:
            groups.setdefault(spec.exchange, []).append(spec.name)
    return ", ".join(f"{exchange} ({', '.join(sorted(names))})" for exchange, names in sorted(groups.items()))
