"""Files that are not CSV exports with a header, turned into one so that the ordinary pipeline reads them.

:func:`prepare` is called by :func:`ingest.api.ingest_file` before sniffing. It returns ``None`` for an
ordinary CSV or XLSX export, and otherwise the path of a CSV it wrote into the private staging folder:

* a **zip archive** that is not an XLSX workbook (Binance public kline files arrive as
  ``BTCUSDT-1m-2022-12.zip``): checked against zip bombs and path tricks, its one CSV or JSON member
  extracted and prepared in turn;
* a **Binance kline file** (``BTCUSDT-1m-2022-12.csv``, no header): the header Binance documents is
  written above the untouched lines, so the ``binance_klines`` format recognises it; it ends like the
  file's first line (``\r\n`` or ``\n``), since a file mixing line ends cannot be read as CSV;
* a file whose **rows are quoted whole** (``"2021-01-01 10:00:00,BTCUSDT,BUY,..."``: each line one quoted
  field, as some spreadsheet and script re-saves write it): every such line is unquoted (``""`` becomes
  ``"``), line for line, so row numbers and line ends stay as they were;
* a file whose first 64 KiB **mix line ends** (``\r\n`` and a bare ``\n``, as the OKEx 2020 trade history
  writes its header and rows), which DuckDB's CSV reader refuses: every line is rewritten ending ``\n``,
  line for line, so row numbers and every field's text stay as they were (a file that starts mixing only
  past its head is still refused, as a CSV that cannot be read);
* a **JSON document**: KuCoin REST responses (fills, orders, candles; one response, a list of items, or
  a bundle of recorded responses keyed by endpoint), a Binance ``apiRestrictions`` record, or 3Commas
  deals (with or without their market orders). Each becomes one CSV whose first column names the
  record type and whose header the matching format recognises. A deal's market orders on their own
  (``GET /ver1/deals/{deal_id}/market_orders``) name neither the deal nor its pair, and are refused saying so.

The conversion keeps every value as the text the file holds (numbers as strings, never floats); the
format's SQL does the typing, so the same validation and error messages apply.
"""

from __future__ import annotations

import csv
import json
import re
import zipfile
from collections.abc import Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from core.errors import InputError, UnsafeFileError

MAX_JSON_BYTES = 256 * 1024 * 1024
MAX_ZIP_UNCOMPRESSED = 4 * 1024**3
MAX_ZIP_RATIO = 200
ZIP_MAGIC = b"PK\x03\x04"

KLINE_NAME = re.compile(
    r"^(?P<symbol>[A-Z0-9]+)-(?P<interval>1s|1m|3m|5m|15m|30m|1h|2h|4h|6h|8h|12h|1d|3d|1w|1mo)-"
    r"(?P<period>\d{4}-\d{2}(?:-\d{2})?)\.(?:csv|zip)$")
KLINE_HEADER = ("open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume", "count",
                "taker_buy_volume", "taker_buy_quote_volume", "ignore")

KUCOIN_COLUMNS = ("kucoin_api_record", "interval", "symbol", "id", "orderId", "tradeId", "counterOrderId",
                  "clientOid", "side", "type", "liquidity", "price", "size", "funds", "fee", "feeRate",
                  "feeCurrency", "dealSize", "dealFunds", "channel", "tags", "isActive", "cancelExist",
                  "createdAt", "open", "close", "high", "low", "volume", "turnover")
KUCOIN_INTERVALS = {"1min": "1m", "3min": "3m", "5min": "5m", "15min": "15m", "30min": "30m", "1hour": "1h",
                    "2hour": "2h", "4hour": "4h", "6hour": "6h", "8hour": "8h", "12hour": "12h", "1day": "1d",
                    "1week": "1w", "1month": "1M"}
BINANCE_RESTRICTIONS_COLUMNS = ("binance_api_restrictions", "ipRestrict", "createTime", "permissions")
THREECOMMAS_COLUMNS = ("threecommas_record", "id", "bot_id", "account_id", "pair", "strategy", "status",
                       "created_at", "closed_at", "bought_amount", "bought_average_price", "sold_amount",
                       "sold_average_price", "order_id", "order_type", "deal_order_type", "status_string",
                       "order_created_at", "quantity", "quantity_remaining", "rate", "average_price")


def prepare(path: Path, head: bytes, workdir: Path, name: str) -> Path | None:
    """A CSV (in ``workdir``) the pipeline can sniff, or None when ``path`` is already one (CSV/XLSX)."""
    if head.startswith(ZIP_MAGIC):
        return _prepare_zip(path, workdir, name)
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return _prepare_json(path, workdir, name)
    if KLINE_NAME.match(name) and _looks_headerless_kline(head):
        out = workdir / "klines.csv"
        # the header ends the way the file's lines end: DuckDB refuses a file mixing \n and \r\n
        newline = "\r\n" if head.split(b"\n", 1)[0].endswith(b"\r") else "\n"
        with path.open("rb") as src, out.open("wb") as dst:
            dst.write((",".join(KLINE_HEADER) + newline).encode())
            while chunk := src.read(1 << 20):
                dst.write(chunk)
        return out
    if _rows_quoted_whole(head):
        return _unquote_rows(path, workdir / "unquoted.csv")
    if _mixes_line_ends(head):
        return _one_line_end(path, workdir / "line_ends.csv")
    return None


def _mixes_line_ends(head: bytes) -> bool:
    """Whether the head has lines ending ``\r\n`` and lines ending in a bare ``\n``."""
    crlf = head.count(b"\r\n")
    return 0 < crlf < head.count(b"\n")


def _one_line_end(path: Path, out: Path) -> Path:
    with path.open("rb") as src, out.open("wb") as dst:
        for line in src:  # split at \n: each line keeps its text, and ends \n
            dst.write(line[:-2] + b"\n" if line.endswith(b"\r\n") else line)
    return out


def _quoted_whole(line: str) -> str | None:
    """The content of a line that is one quoted field holding a comma, else None."""
    body = line.strip()
    if len(body) < 3 or not (body.startswith('"') and body.endswith('"')):
        return None
    try:
        fields = next(csv.reader([body]), [])
    except csv.Error:
        return None
    return fields[0] if len(fields) == 1 and "," in fields[0] else None


def _rows_quoted_whole(head: bytes) -> bool:
    """Whether the first data lines (the header may or may not be quoted too) are each one quoted field."""
    text = head.decode("utf-8-sig", errors="replace")  # the 64 KiB head may end inside a character
    lines = [ln for ln in text.splitlines()[:-1] or text.splitlines() if ln.strip()][:12]
    return len(lines) >= 2 and all(_quoted_whole(ln) is not None for ln in lines[1:])


def _unquote_rows(path: Path, out: Path) -> Path:
    with path.open(encoding="utf-8-sig", newline="") as src, out.open("w", encoding="utf-8", newline="") as dst:
        for line in src:
            body = line.rstrip("\r\n")
            inner = _quoted_whole(body)
            dst.write((body if inner is None else inner) + line[len(body):])
    return out


def _looks_headerless_kline(head: bytes) -> bool:
    first = head.split(b"\n", 1)[0].strip().decode("ascii", "replace").split(",")
    return len(first) >= 6 and all(re.fullmatch(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", f.strip()) for f in first[:6])


# -- zip -------------------------------------------------------------------------------------------------

def _prepare_zip(path: Path, workdir: Path, name: str) -> Path | None:
    try:
        zf = zipfile.ZipFile(path)
    except zipfile.BadZipFile:
        raise UnsafeFileError("the file starts like a zip archive but is not a valid one", file=name) from None
    with zf:
        names = zf.namelist()
        if "[Content_Types].xml" in names:
            return None  # an XLSX workbook: ingest.xlsx reads it
        members = [i for i in zf.infolist() if not i.is_dir()]
        if len(members) != 1:
            raise UnsafeFileError(f"the zip archive holds {len(members)} files; keytrace reads archives with "
                                  "exactly one export in them (like Binance's kline zips)", file=name)
        info = members[0]
        entry = info.filename.replace("\\", "/")
        if entry.startswith("/") or ".." in entry.split("/"):
            raise UnsafeFileError(f"the zip archive holds a file with a path trick ({entry[:60]!r})", file=name)
        if info.file_size > MAX_ZIP_UNCOMPRESSED:
            raise UnsafeFileError(f"the archived file expands to more than {MAX_ZIP_UNCOMPRESSED // 1024**3} GiB; "
                                  "refusing a possible zip bomb", file=name)
        if info.compress_size and info.file_size > 1 << 20 and info.file_size / info.compress_size > MAX_ZIP_RATIO:
            raise UnsafeFileError(f"the archived file expands {info.file_size // info.compress_size} times "
                                  f"(limit {MAX_ZIP_RATIO}); refusing a possible zip bomb", file=name)
        inner_name = entry.split("/")[-1]
        if not inner_name.lower().endswith((".csv", ".json")):
            raise UnsafeFileError(f"the zip archive holds {inner_name[:60]!r}, not a CSV or JSON export", file=name)
        out = workdir / ("unzipped" + Path(inner_name).suffix.lower())
        written = 0
        with zf.open(info) as src, out.open("wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > info.file_size or written > MAX_ZIP_UNCOMPRESSED:
                    raise UnsafeFileError("the archived file is larger than the archive says; refusing it",
                                          file=name)
                dst.write(chunk)
    with out.open("rb") as fh:
        head = fh.read(64 * 1024)
    if head.startswith(ZIP_MAGIC):
        raise UnsafeFileError("the zip archive holds another archive; refusing nested archives", file=name)
    # the member is named like the archive (BTCUSDT-1m-2022-12.csv in BTCUSDT-1m-2022-12.zip)
    member_name = inner_name if KLINE_NAME.match(inner_name) else name
    return prepare(out, head, workdir, member_name) or out


# -- JSON ------------------------------------------------------------------------------------------------

def _load_json(path: Path, name: str) -> Any:
    if path.stat().st_size > MAX_JSON_BYTES:
        raise InputError(f"the JSON file is larger than {MAX_JSON_BYTES // 1024**2} MiB", file=name)
    try:
        return json.loads(path.read_bytes().decode("utf-8-sig"), parse_float=Decimal)
    except UnicodeDecodeError:
        raise InputError("the file is not UTF-8 text", file=name) from None
    except json.JSONDecodeError as exc:
        raise InputError(f"the JSON is not valid (line {exc.lineno}, column {exc.colno}: {exc.msg})",
                         file=name) from None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return json.dumps(value, sort_keys=True, separators=(",", ":"), default=str)
    return str(value)


def _write(out: Path, header: tuple[str, ...], rows: Iterable[dict[str, Any]]) -> Path:
    with out.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        for row in rows:
            writer.writerow([_text(row.get(col)) for col in header])
    return out


def _prepare_json(path: Path, workdir: Path, name: str) -> Path:
    doc = _load_json(path, name)
    if isinstance(doc, dict) and "createTime" in doc and any(k.startswith("enable") for k in doc):
        return _write(workdir / "binance_api_restrictions.csv", BINANCE_RESTRICTIONS_COLUMNS,
                      [_binance_restrictions(doc)])
    alone = _threecommas_market_orders_alone(doc)
    if alone:
        raise InputError(f"this is the market orders of one 3Commas deal on its own (GET /ver1/deals/{{deal_id}}/"
                         f"market_orders, {alone} order{'s' if alone != 1 else ''}): it names neither the deal nor "
                         "its pair, so its orders cannot be told apart from other deals'; ingest the deal with them "
                         "(the deals list, or the deal with its market_orders)", file=name)
    deals = _threecommas_deals(doc)
    if deals is not None:
        return _write(workdir / "threecommas.csv", THREECOMMAS_COLUMNS, _threecommas_rows(deals))
    kucoin = list(_kucoin_rows(doc, name, context=""))
    if kucoin:
        return _write(workdir / "kucoin_api.csv", KUCOIN_COLUMNS, kucoin)
    if doc in ([], {}) or (isinstance(doc, dict) and "code" in doc and "data" in doc):
        raise InputError("the JSON holds no records (an empty API response); nothing to ingest", file=name)
    raise InputError("keytrace does not know this JSON document (expected KuCoin API responses, a Binance "
                     "apiRestrictions record or 3Commas deals)", file=name)


def _binance_restrictions(doc: dict[str, Any]) -> dict[str, Any]:
    flags = {k: v for k, v in doc.items() if isinstance(v, bool) and k != "ipRestrict"}
    extra = {k: v for k, v in doc.items()
             if k not in flags and k not in ("ipRestrict", "createTime") and not k.startswith("_")}
    flags.update(extra)
    return {"binance_api_restrictions": "restrictions", "ipRestrict": doc.get("ipRestrict"),
            "createTime": doc.get("createTime"), "permissions": flags}


# KuCoin ---------------------------------------------------------------------------------------------------

def _kucoin_interval(context: str, name: str) -> str:
    for text in (context, name):
        m = re.search(r"(?:type=)?(\d+(?:min|hour|day|week|month))", text)
        if m and m.group(1) in KUCOIN_INTERVALS:
            return KUCOIN_INTERVALS[m.group(1)]
    return ""


def _kucoin_symbol(context: str, name: str) -> str:
    for pattern, text in ((r"symbol=([A-Za-z0-9]+-[A-Za-z0-9]+)", context),
                          (r"([A-Za-z0-9]+-[A-Za-z0-9]+)", name)):
        m = re.search(pattern, text)
        if m:
            return m.group(1).upper()
    return ""


def _kucoin_rows(doc: Any, name: str, context: str) -> Iterator[dict[str, Any]]:
    if isinstance(doc, dict):
        if "code" in doc and "data" in doc:  # one response envelope
            yield from _kucoin_rows(doc["data"], name, context)
            return
        if "items" in doc and isinstance(doc["items"], list):  # a page
            yield from _kucoin_rows(doc["items"], name, context)
            return
        if "tradeId" in doc or "counterOrderId" in doc:
            yield {"kucoin_api_record": "fill", **doc}
            return
        if "dealSize" in doc or "opType" in doc or ("channel" in doc and "id" in doc):
            yield {"kucoin_api_record": "order", **doc}
            return
        for key, value in doc.items():  # a bundle of recorded responses keyed by endpoint
            if not key.startswith("_") and isinstance(value, (dict, list)):
                yield from _kucoin_rows(value, name, key)
        return
    if isinstance(doc, list):
        for item in doc:
            if isinstance(item, list) and len(item) >= 6:  # a candle
                keys = ("createdAt", "open", "close", "high", "low", "volume", "turnover")
                yield {"kucoin_api_record": "candle", "interval": _kucoin_interval(context, name),
                       "symbol": _kucoin_symbol(context, name), **dict(zip(keys, item, strict=False))}
            elif isinstance(item, dict):
                yield from _kucoin_rows(item, name, context)


# 3Commas --------------------------------------------------------------------------------------------------

def _threecommas_deals(doc: Any) -> list[dict[str, Any]] | None:
    if isinstance(doc, dict):
        for key in ("deals", "data"):
            if isinstance(doc.get(key), list):
                doc = doc[key]
                break
        else:
            doc = [doc]
    if isinstance(doc, list) and doc and all(isinstance(d, dict) for d in doc) \
            and all("bot_id" in d and "pair" in d for d in doc):
        return list(doc)
    return None


_MARKET_ORDER_KEYS = frozenset({"order_id", "order_type", "deal_order_type", "status_string"})


def _threecommas_market_orders_alone(doc: Any) -> int:
    """How many 3Commas market orders ``doc`` is, when it is only those (a list of them, or one): the response of
    ``GET /ver1/deals/{deal_id}/market_orders``, whose deal id is only in the URL and whose pair is nowhere."""
    items = doc if isinstance(doc, list) else [doc]
    if items and all(isinstance(i, dict) and _MARKET_ORDER_KEYS <= i.keys() and "pair" not in i for i in items):
        return len(items)
    return 0


def _threecommas_rows(deals: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    for deal in deals:
        base = {k: deal.get(k) for k in THREECOMMAS_COLUMNS if k in deal}
        orders = deal.get("market_orders") or deal.get("orders")
        if isinstance(orders, list) and orders:
            for order in orders:
                yield {**base, "threecommas_record": "market_order", "order_id": order.get("order_id"),
                       "order_type": order.get("order_type"), "deal_order_type": order.get("deal_order_type"),
                       "status_string": order.get("status_string"), "order_created_at": order.get("created_at"),
                       "quantity": order.get("quantity"), "quantity_remaining": order.get("quantity_remaining"),
                       "rate": order.get("rate"), "average_price": order.get("average_price")}
        else:
            yield {**base, "threecommas_record": "deal"}
