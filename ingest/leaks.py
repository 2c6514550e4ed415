"""Leaked-key dumps: keep a fingerprint of each exchange API key and the dump's hash, nothing else.

A dump is a CSV or JSON file of (exchange, API key, secret, passphrase) rows, e.g. the 3Commas
December 2022 publication. keytrace reads it once, in memory, and keeps:

* ``leaks``: the dump's SHA-256 (``leak_id``), its source label, date and key count;
* ``leaked_keys``: ``core.fingerprint.api_key_fingerprint(exchange, api_key)`` per distinct key;
* ``evidence_files``: the dump's hash with ``stored = false`` (``keep_content=False``).

The secrets, passphrases and the API keys themselves never reach the disk: no temporary file, no
staging table, no error message and no log line holds them. Problems name the file, row and column,
never the value. Importing the same dump again changes nothing.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from core import audit
from core.db import utcnow
from core.errors import InputError
from core.evidence import safe_name, store
from core.fingerprint import api_key_fingerprint, normalise_exchange
from core.workspace import Workspace
from ingest.formats.base import INGEST_SQL
from ingest.sniff import check_regular_file

MAX_DUMP_BYTES = 512 * 1024 * 1024

# accepted column names, compared after lower-casing and dropping spaces, '_' and '-'
_EXCHANGE = {"exchange", "exchangename", "market", "marketcode", "platform", "venue"}
_KEY = {"apikey", "key", "apikeyid", "accesskey", "publickey", "keyid"}
_SECRET = {"secret", "apisecret", "secretkey", "privatekey", "apisecretkey"}
_PASSPHRASE = {"passphrase", "password", "apipassphrase", "apipassword"}


@dataclass(frozen=True)
class LeakedKey:
    fingerprint: str
    exchange: str
    source_row: int


@dataclass(frozen=True)
class LeakImportResult:
    leak_id: str
    source: str
    leak_date: date | None
    key_count: int
    rows_read: int
    duplicates: int
    already_imported: bool

    def as_dict(self) -> dict[str, Any]:
        return {"leak_id": self.leak_id, "source": self.source,
                "leak_date": self.leak_date.isoformat() if self.leak_date else None,
                "key_count": self.key_count, "rows_read": self.rows_read,
                "duplicates": self.duplicates, "already_imported": self.already_imported}


def _norm(name: str) -> str:
    return "".join(ch for ch in name.strip().lower() if ch not in " _-")


def _role(name: str) -> str | None:
    n = _norm(name)
    for role, names in (("exchange", _EXCHANGE), ("api_key", _KEY), ("secret", _SECRET),
                        ("passphrase", _PASSPHRASE)):
        if n in names:
            return role
    return None


def _fingerprint_row(file: str, row: int, exchange: Any, api_key: Any,
                     exchange_column: str, key_column: str) -> LeakedKey:
    if not isinstance(exchange, str) or not exchange.strip():
        raise InputError("the exchange is missing", file=file, row=row, column=exchange_column)
    if not isinstance(api_key, str) or not api_key.strip():
        raise InputError("the API key is missing", file=file, row=row, column=key_column)
    if any(ch.isspace() for ch in api_key.strip()):
        raise InputError("the API key contains white space (is the delimiter right?)", file=file, row=row,
                         column=key_column)
    ex = normalise_exchange(exchange)
    return LeakedKey(api_key_fingerprint(ex, api_key), ex, row)


def _parse_csv(text: str, file: str) -> Iterator[LeakedKey]:
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t|", key=first_line.count)
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        first = next(reader, None)
        if first is None:
            raise InputError("the dump is empty", file=file)
        roles = [_role(c) for c in first]
        if "api_key" in roles and "exchange" in roles:
            ix_ex, ix_key = roles.index("exchange"), roles.index("api_key")
            col_ex, col_key = first[ix_ex].strip(), first[ix_key].strip()
            body: Iterator[list[str]] = reader
        elif 3 <= len(first) <= 4 and not any(roles):
            # no header: exchange, api key, secret[, passphrase]
            ix_ex, ix_key, col_ex, col_key = 0, 1, "column 1 (exchange)", "column 2 (API key)"
            body = _chain([first], reader)
        else:
            raise InputError("the header has no 'exchange' and 'api_key' columns (expected a header like "
                             "exchange,api_key,secret,passphrase)", file=file)
        for row, fields in enumerate(body, start=1):  # 1-based data row, header excluded
            if not fields or all(not f.strip() for f in fields):
                continue
            if len(fields) <= max(ix_ex, ix_key):
                raise InputError(f"the row has {len(fields)} fields", file=file, row=row,
                                 column=col_key)
            yield _fingerprint_row(file, row, fields[ix_ex], fields[ix_key], col_ex, col_key)
    except csv.Error:
        # the csv module's message can quote the line; give only the position
        raise InputError("the dump is not readable CSV", file=file, row=reader.line_num) from None


def _chain(first: list[list[str]], rest: Iterator[list[str]]) -> Iterator[list[str]]:
    yield from first
    yield from rest


def _records(doc: Any) -> list[Any]:
    if isinstance(doc, list):
        return doc
    if isinstance(doc, dict):
        if {"exchange", "api_key"} <= {_role(str(k)) for k in doc}:
            return [doc]  # a single record (a JSON-lines dump of one line)
        for k in ("keys", "data", "items", "records", "leaks", "api_keys"):
            if isinstance(doc.get(k), list):
                return list(doc[k])
        grouped = {k: v for k, v in doc.items() if not str(k).startswith("_")}
        if grouped and all(isinstance(v, list) for v in grouped.values()):
            # {"binance": [{"api_key": ...}, ...], "kucoin": [...]}: the exchange is the group's name
            return [{"exchange": k, **item} if isinstance(item, dict) and "exchange" not in item else item
                    for k, v in grouped.items() for item in v]
    raise InputError("the JSON dump is neither a list of key records nor an object with a 'keys' list")


def _parse_json(text: str, file: str) -> Iterator[LeakedKey]:
    try:
        doc = json.loads(text)
        items = _records(doc)
    except json.JSONDecodeError:
        # JSON lines
        items = []
        for n, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            try:
                items.append(json.loads(line))
            except json.JSONDecodeError:
                raise InputError("the dump is neither JSON nor JSON lines", file=file, row=n) from None
    except InputError as exc:
        raise InputError(exc.reason, file=file) from None
    for row, item in enumerate(items, start=1):
        if not isinstance(item, dict):
            raise InputError("the record is not an object", file=file, row=row)
        by_role: dict[str, tuple[str, Any]] = {}
        for k, v in item.items():
            role = _role(str(k))
            if role and role not in by_role:
                by_role[role] = (str(k), v)
        col_ex, ex = by_role.get("exchange", ("exchange", None))
        col_key, key = by_role.get("api_key", ("api_key", None))
        yield _fingerprint_row(file, row, ex, key, col_ex, col_key)


def parse_dump(data: bytes, file: str) -> list[LeakedKey]:
    """Fingerprint every row of a dump held in memory. Raises InputError naming file/row/column."""
    if b"\x00" in data[:65536]:
        raise InputError("the dump is a binary file, not CSV or JSON", file=file)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputError("the dump is not UTF-8 text", file=file) from None
    stripped = text.lstrip()
    if not stripped:
        raise InputError("the dump is empty", file=file)
    parser = _parse_json if stripped[0] in "[{" else _parse_csv
    return list(parser(text, file))


def import_dump(ws: Workspace, path: Path, *, actor: str, source: str | None = None,
                leak_date: date | None = None, case_id: str | None = None) -> LeakImportResult:
    """Import a leaked-key dump: fingerprints and the dump's hash only, in one transaction."""
    name = safe_name(path.name)
    size = check_regular_file(path, name)  # refuses folders, devices, pipes and empty files
    if size > MAX_DUMP_BYTES:
        raise InputError(f"the dump is larger than {MAX_DUMP_BYTES // (1024 * 1024)} MB", file=name)
    data = path.read_bytes()
    sha = hashlib.sha256(data).hexdigest()
    keys = parse_dump(data, name)
    del data
    if not keys:
        raise InputError("the dump holds no API keys", file=name)
    by_fp: dict[str, LeakedKey] = {}
    for k in keys:  # the fingerprint covers the exchange, so one entry per (exchange, key); first row wins
        by_fp.setdefault(k.fingerprint, k)
    label = (source or name).strip() or name
    with ws.db.write() as con:
        existing = con.execute("SELECT source, leak_date, key_count FROM leaks WHERE leak_id = ?",
                               [sha]).fetchall()
        if existing:
            src, ld, count = existing[0]
            return LeakImportResult(sha, str(src), ld, int(count), len(keys), len(keys) - len(by_fp), True)
        store(ws, con, path, kind="leak_dump_digest", submitted_by=actor, original_name=name,
              case_id=case_id, keep_content=False, known_sha256=(sha, size))
        con.execute("INSERT INTO leaks (leak_id, source, leak_date, imported_at, key_count) "
                    "VALUES (?, ?, ?, ?, ?)", [sha, label, leak_date, utcnow(), len(by_fp)])
        keys_in_order = list(by_fp.values())
        # one statement with list parameters: fast for the ~100,000 keys of a real dump
        con.execute("INSERT INTO leaked_keys (fingerprint, exchange, leak_id, source_row) "
                    "SELECT unnest(?), unnest(?), ?, unnest(?)",
                    [[k.fingerprint for k in keys_in_order], [k.exchange for k in keys_in_order], sha,
                     [k.source_row for k in keys_in_order]])
        exchanges = sorted({k.exchange for k in by_fp.values()})
        audit.record(con, ws.keys, ws.settings, actor=actor, action="leak_imported", obj=f"leak:{sha}",
                     details={"source": label, "key_count": len(by_fp), "exchanges": exchanges,
                              "leak_date": leak_date.isoformat() if leak_date else None})
    return LeakImportResult(sha, label, leak_date, len(by_fp), len(keys), len(keys) - len(by_fp), False)


@dataclass(frozen=True)
class LeakHit:
    leak_id: str
    source: str
    leak_date: date | None
    exchange: str
    source_row: int


def find_key(ws: Workspace, exchange: str, api_key: str) -> tuple[str, list[LeakHit]]:
    """The key's fingerprint and every imported dump that holds it (the key itself is not kept)."""
    fingerprint = api_key_fingerprint(exchange, api_key)
    with ws.db.read() as con:
        found = INGEST_SQL.tuples(con, "leaks_find_key", {"fingerprint": fingerprint})
    return fingerprint, [LeakHit(str(r[0]), str(r[1]), r[2], str(r[4]), int(r[5])) for r in found]
