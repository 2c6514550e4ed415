"""Exact figures as text, for people and files: decimals without float, money in cents, ISO 8601 UTC
times, token amounts from raw uint256 units, and CSV/JSON bytes whose cells a spreadsheet cannot run.

CSV files are UTF-8 with a header row; amounts are exact decimal strings; times are ISO 8601 UTC with
``Z``. A cell that a spreadsheet would run as a formula (first character ``=``, ``+``, ``-``, ``@``,
tab or carriage return) is prefixed with ``'`` - except a plain decimal number such as ``-12.5``,
which a spreadsheet reads as a number and never as a formula. The app, the reports and the exports all
format through here, so a figure reads the same everywhere.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Context, Decimal
from typing import Any

_EXACT = Context(prec=200)  # uint256 has 78 digits: never round
_PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def dec(value: Decimal | int | None) -> str:
    """An exact decimal string without exponent or trailing zeros ('' for None)."""
    if value is None:
        return ""
    d = Decimal(value)
    if d == 0:
        return "0"
    return format(d.normalize(_EXACT), "f")


def usd(value: Decimal | int | None) -> str:
    """A US-dollar figure for people: thousands grouped, cents rounded half up ('' for None).

    Reports show money this way; the exact amounts are in the CSV files attached to each PDF.
    """
    if value is None:
        return ""
    cents = Decimal(value).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP, context=_EXACT)
    return f"{cents:,.2f}"


def iso(value: datetime | date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return value.isoformat()


def token_amount(raw: Decimal | int | str, decimals: int | None) -> Decimal:
    """Raw token units to whole tokens, exactly (unknown decimals: the raw amount)."""
    d = Decimal(raw)
    return d.scaleb(-decimals, _EXACT) if decimals else d


def coin_name(symbol: str | None, token: str) -> str:
    if token == "native":  # noqa: S105 - the native coin, not a secret
        return symbol or "ETH"
    return symbol or token


def neutralise(cell: str) -> str:
    """Make a cell safe against spreadsheet formula injection (see the module docstring)."""
    if cell.startswith(_FORMULA_START) and not _PLAIN_NUMBER.match(cell):
        return "'" + cell
    return cell


def csv_bytes(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow([neutralise(c) for c in columns])
    for row in rows:
        w.writerow([neutralise(_cell(v)) for v in row])
    return buf.getvalue().encode("utf-8")


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, Decimal | int) and not isinstance(v, bool):
        return dec(v)
    if isinstance(v, datetime | date):
        return iso(v)
    return str(v)


def json_bytes(obj: Any) -> bytes:
    return (json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False, default=_json_default) + "\n").encode()


def _json_default(v: Any) -> Any:
    if isinstance(v, Decimal):
        return dec(v)
    if isinstance(v, datetime | date):
        return iso(v)
    raise TypeError(f"cannot write {type(v).__name__} as JSON")
