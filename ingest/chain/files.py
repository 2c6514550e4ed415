"""``keytrace chain import``: transfers from files investigators already have.

Recognised by their header (CSV) or first record (JSON lines):

* ethereum-etl ``token_transfers`` (CSV or JSONL), ``transactions`` (native transfers; failed ones
  skipped), ``logs`` (Transfer logs decoded like a pull), ``blocks`` (block times and hashes);
* Etherscan CSV exports of transactions, internal transactions and token transfers.

Each file is parsed completely before anything is written; a bad row refuses the whole file with one
sentence naming file, row and column, and the database is left as it was. The file is stored as
evidence and every row carries its SHA-256 and source row; importing the same file again adds nothing.

Limits of the sources, said plainly: ethereum-etl token-transfer CSVs of older versions carry no block
time, so their blocks must be known (import the blocks file in the same command, or pull the blocks
first). Etherscan exports carry neither block hash (stored as '') nor log index or trace position: their
rows are told apart by their order within the transaction (``trace_address`` ``etherscan:N``), so they
do not merge with rows pulled over RPC for the same transfer; and Etherscan shows token amounts in
display units, so the token's decimals must be known (``token_metadata``, filled by a pull).
ethereum-etl's ``token_transfers`` also list ERC-721 transfers with the token id as ``value`` and
nothing to tell them apart; its ``logs`` file can (four topics), and keytrace's decoding of it, like a
pull, leaves ERC-721 transfers out. Prefer the logs file when you have it.
"""

from __future__ import annotations

import csv
import io
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from core import audit, evidence
from core.db import utcnow
from core.errors import InputError, UnknownFormatError
from core.workspace import Workspace
from ingest.chain import store
from ingest.chain.decode import TransferColumns, erc20_rows

_EXACT = Context(prec=200)  # enough digits for any uint256 with any decimals

# Etherscan renamed "Txhash" to "Transaction Hash" in newer exports; both are read the same way. The
# explorers built on Etherscan's code name the native coin in the header (BscScan "Value_IN(BNB)",
# PolygonScan "Value_IN(MATIC)"); they are read as the ETH columns.
_ALIASES = {"Transaction Hash": "Txhash"}
_NATIVE_VALUE = re.compile(r"^Value_(IN|OUT)\([A-Za-z0-9]+\)$")


def _header(name: str) -> str:
    name = name.strip()
    m = _NATIVE_VALUE.match(name)
    if m:
        return f"Value_{m.group(1)}(ETH)"
    return _ALIASES.get(name, name)

FORMATS = ("ethereumetl_token_transfers", "ethereumetl_transactions", "ethereumetl_logs", "ethereumetl_blocks",
           "etherscan_transactions", "etherscan_internal", "etherscan_token_transfers")


@dataclass
class ImportResult:
    source_name: str
    format: str
    evidence_sha256: str
    rows_read: int = 0
    rows_added: int = 0
    rows_skipped: int = 0
    blocks_added: int = 0
    skipped: list[str] = field(default_factory=list)
    already_imported: bool = False
    run_id: str = ""

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


@dataclass
class Parsed:
    fmt: str
    cols: TransferColumns = field(default_factory=TransferColumns)
    source_rows: list[int] = field(default_factory=list)
    times: dict[int, int] = field(default_factory=dict)          # block -> unix time, from the file
    blocks: dict[int, tuple[str, str, int]] = field(default_factory=dict)
    need_time: dict[int, int] = field(default_factory=dict)      # block -> first source row lacking time
    rows_read: int = 0


# -- reading --------------------------------------------------------------------------------------
def _records(path: Path) -> tuple[str, Iterator[tuple[int, dict[str, Any]]], list[str]]:
    """('csv'|'jsonl', (row number, record) pairs, field names). The file is read as it is consumed."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        head = fh.read(65536)
    if head.lstrip().startswith("{"):
        first_line = next(line for line in head.splitlines() if line.strip())
        try:
            first = json.loads(first_line)
        except ValueError:
            first = {}
        if not isinstance(first, dict):
            first = {}

        def gen_json() -> Iterator[tuple[int, dict[str, Any]]]:
            with path.open(encoding="utf-8-sig") as fh:
                for i, line in enumerate(fh, start=1):
                    if line.strip():
                        try:
                            rec = json.loads(line)
                        except ValueError:
                            rec = None
                        if not isinstance(rec, dict):
                            raise InputError("is not a JSON object", file=path.name, row=i)
                        yield i, rec
        return "jsonl", gen_json(), list(first)
    names = [_header(n) for n in next(csv.reader(io.StringIO(head)), [])]

    def gen_csv() -> Iterator[tuple[int, dict[str, Any]]]:
        with path.open(encoding="utf-8-sig", newline="") as fh:
            reader = csv.DictReader(fh)
            for i, rec in enumerate(reader, start=2):  # row 1 is the header
                yield i, {_header(k or ""): (v or "").strip()
                          for k, v in rec.items() if isinstance(v, str) or v is None}
    return "csv", gen_csv(), names


def sniff(names: list[str], first: dict[str, Any] | None) -> str:
    s = set(names)
    kind = (first or {}).get("type")
    if kind == "token_transfer" or {"token_address", "from_address", "to_address", "value",
                                    "transaction_hash", "log_index"} <= s:
        return "ethereumetl_token_transfers"
    if kind == "log" or {"log_index", "transaction_hash", "address", "data", "topics"} <= s:
        return "ethereumetl_logs"
    if kind == "transaction" or {"hash", "from_address", "to_address", "value", "block_number"} <= s:
        return "ethereumetl_transactions"
    if kind == "block" or {"number", "hash", "parent_hash", "timestamp"} <= s:
        return "ethereumetl_blocks"
    if {"Txhash", "Blockno", "UnixTimestamp", "TokenValue", "ContractAddress"} <= s:
        return "etherscan_token_transfers"
    if {"Txhash", "Blockno", "UnixTimestamp", "ParentTxFrom", "TxTo"} <= s:
        return "etherscan_internal"
    if {"Txhash", "Blockno", "UnixTimestamp", "From", "To", "Value_IN(ETH)", "Value_OUT(ETH)"} <= s:
        return "etherscan_transactions"
    raise UnknownFormatError("not a transfer file keytrace knows (known: " + ", ".join(FORMATS) + ")")


class _Row:
    def __init__(self, path: Path, n: int, rec: dict[str, Any]) -> None:
        self.file, self.n, self.rec = path.name, n, rec

    def text(self, col: str, required: bool = True) -> str:
        v = self.rec.get(col)
        if v is None or v == "":
            if required:
                raise InputError("is empty", file=self.file, row=self.n, column=col)
            return ""
        return str(v)

    def integer(self, col: str) -> int:
        v = self.rec.get(col)
        if isinstance(v, bool):
            raise InputError("is not a whole number", file=self.file, row=self.n, column=col)
        if isinstance(v, int):
            if v < 0:
                raise InputError("is negative", file=self.file, row=self.n, column=col)
            return v
        t = self.text(col)
        try:
            out = int(t, 16) if t.lower().startswith("0x") else int(t)
        except ValueError:
            raise InputError(f"{t[:40]!r} is not a whole number", file=self.file, row=self.n, column=col) from None
        if out < 0 or out >= 2 ** 256:
            raise InputError(f"{t[:40]!r} is outside uint256", file=self.file, row=self.n, column=col)
        return out

    def address(self, col: str) -> str:
        a = self.text(col).lower()
        if len(a) != 42 or not a.startswith("0x") or any(c not in "0123456789abcdef" for c in a[2:]):
            raise InputError(f"{a[:50]!r} is not an address", file=self.file, row=self.n, column=col)
        return a

    def tx_hash(self, col: str) -> str:
        h = self.text(col).lower()
        if len(h) != 66 or not h.startswith("0x") or any(c not in "0123456789abcdef" for c in h[2:]):
            raise InputError(f"{h[:70]!r} is not a transaction hash", file=self.file, row=self.n, column=col)
        return h

    def scaled(self, col: str, decimals: int) -> int:
        t = self.text(col).replace(",", "")
        try:
            d = Decimal(t)
        except InvalidOperation:
            raise InputError(f"{t[:40]!r} is not a number", file=self.file, row=self.n, column=col) from None
        if not d.is_finite():
            raise InputError(f"{t!r} is not a number", file=self.file, row=self.n, column=col)
        raw = d.scaleb(decimals, context=_EXACT)  # the default context would round after 28 digits
        if raw != raw.to_integral_value(context=_EXACT) or raw < 0:
            raise InputError(f"{t!r} is not a whole number of the smallest unit ({decimals} decimals)",
                             file=self.file, row=self.n, column=col)
        return int(raw)


def parse(path: Path, decimals_of: dict[str, int] | None = None) -> Parsed:
    """Parse a whole file into columns (no database access)."""
    try:
        return _parse(path, decimals_of)
    except UnicodeDecodeError:
        raise InputError("is not UTF-8 text", file=path.name) from None
    except csv.Error as exc:
        raise InputError(f"is not a readable CSV file ({exc})", file=path.name) from None


def _parse(path: Path, decimals_of: dict[str, int] | None) -> Parsed:
    _, records, names = _records(path)
    first_pair = next(records, None)
    first = first_pair[1] if first_pair else None
    fmt = sniff(names, first)
    p = Parsed(fmt)

    def all_records() -> Iterator[tuple[int, dict[str, Any]]]:
        if first_pair:
            yield first_pair
        yield from records

    occurrence: dict[tuple[str, ...], int] = {}
    for n, rec in all_records():
        p.rows_read += 1
        r = _Row(path, n, rec)
        if fmt == "ethereumetl_blocks":
            num = r.integer("number")
            p.blocks[num] = (r.tx_hash("hash"), r.tx_hash("parent_hash"), r.integer("timestamp"))
            p.times[num] = p.blocks[num][2]
            continue
        if fmt in ("ethereumetl_token_transfers", "ethereumetl_transactions", "ethereumetl_logs"):
            bn = r.integer("block_number")
            if rec.get("block_timestamp") not in (None, ""):
                p.times[bn] = r.integer("block_timestamp")
            elif bn not in p.need_time:
                p.need_time[bn] = n
            bh = r.tx_hash("block_hash") if rec.get("block_hash") else ""
            if fmt == "ethereumetl_token_transfers":
                p.cols.add(bn, bh, r.tx_hash("transaction_hash"), r.integer("log_index"), None, "erc20",
                           r.address("token_address"), r.address("from_address"), r.address("to_address"),
                           r.integer("value"))
                p.source_rows.append(n)
            elif fmt == "ethereumetl_logs":
                topics = rec.get("topics")
                if isinstance(topics, str):
                    topics = [t for t in topics.split(",") if t]
                log = {"topics": topics or [], "data": r.text("data", required=False) or "0x",
                       "transactionHash": r.tx_hash("transaction_hash"), "logIndex": r.integer("log_index"),
                       "blockNumber": bn, "blockHash": bh, "address": r.address("address")}
                before = len(p.cols)
                erc20_rows([log], p.cols)
                if len(p.cols) > before:
                    p.source_rows.append(n)
            else:
                value = r.integer("value")
                status = rec.get("receipt_status")
                if value == 0:
                    continue
                if status not in (None, "", 1, "1"):
                    p.cols.skip("failed transaction (no value moved)")
                    continue
                to = rec.get("to_address") or rec.get("receipt_contract_address")
                if not to:
                    p.cols.skip("contract creation without the new address")
                    continue
                r.rec["_to"] = to
                p.cols.add(bn, bh, r.tx_hash("hash"), None, "", "native", "native", r.address("from_address"),
                           r.address("_to"), value)
                p.source_rows.append(n)
            continue
        # Etherscan
        bn = r.integer("Blockno")
        p.times[bn] = r.integer("UnixTimestamp")
        tx = r.tx_hash("Txhash")
        if (rec.get("ErrCode") or "").strip() or (rec.get("Status") or "").strip().lower().startswith("error"):
            p.cols.skip("failed transaction (no value moved)")
            continue
        if fmt == "etherscan_token_transfers":
            token = r.address("ContractAddress")
            decimals = (decimals_of or {}).get(token)
            if decimals is None:
                raise InputError(f"Etherscan shows amounts in display units and the decimals of token {token} "
                                 "are unknown; pull its metadata first (keytrace chain pull with --token)",
                                 file=path.name, row=n, column="TokenValue")
            frm, to = r.address("From"), r.address("To")
            value = r.scaled("TokenValue", decimals)
            kind, tok = "erc20", token
        else:
            frm = r.address("From")
            to_col = "TxTo" if fmt == "etherscan_internal" else "To"
            to = r.address(to_col) if rec.get(to_col) else r.address("ContractAddress")
            vin = r.scaled("Value_IN(ETH)", 18) if rec.get("Value_IN(ETH)") else 0
            vout = r.scaled("Value_OUT(ETH)", 18) if rec.get("Value_OUT(ETH)") else 0
            value = vin or vout
            if value == 0:
                continue
            kind, tok = ("internal" if fmt == "etherscan_internal" else "native"), "native"
        if kind == "native":
            trace = ""
        else:
            key = (tx, kind, tok, frm, to, str(value))
            occurrence[key] = occurrence.get(key, -1) + 1
            trace = f"etherscan:{occurrence[key]}"
        p.cols.add(bn, "", tx, None, trace, kind, tok, frm, to, value)
        p.source_rows.append(n)
    return p


# -- writing --------------------------------------------------------------------------------------
def import_file(ws: Workspace, path: Path, *, chain_id: int = 1, actor: str = "cli",
                decimals: dict[str, int] | None = None) -> ImportResult:
    """Import one file (see the module docstring). ``decimals`` (token -> decimals) overrides and
    completes what ``token_metadata`` knows, for Etherscan token exports."""
    if not path.is_file():
        raise InputError("no such file", file=str(path))
    sha, _size = evidence.sha256_file(path)
    with ws.db.read() as con:
        decimals_of = {str(t): int(d) for t, d in con.execute(
            store.sql("token_decimals"), {"chain_id": chain_id}).fetchall()}
        decimals_of.update(decimals or {})
        done = con.execute(store.sql("evidence_already_imported"), {"sha": sha}).fetchall()
    parsed = parse(path, decimals_of)
    result = ImportResult(path.name, parsed.fmt, sha, rows_read=parsed.rows_read,
                          rows_skipped=sum(parsed.cols.skipped.values()),
                          skipped=[f"{n} {k}" for k, n in sorted(parsed.cols.skipped.items())])
    if done:
        result.already_imported = True
        return result
    run_id = str(uuid.uuid4())
    result.run_id = run_id
    endpoint = f"file:{evidence.safe_name(path.name)}"
    with ws.db.write() as con:
        known = {}
        missing = sorted(set(parsed.need_time) - set(parsed.times))
        if missing:
            got = con.execute(store.sql("block_times"), {"chain_id": chain_id, "numbers": missing}).fetchall()
            known = {int(n): int(t) for n, _h, t in got}
            hashes = {int(n): str(h) for n, h, _t in got}
            parsed.cols.block_hash = [h or hashes.get(b, "") for b, h in
                                      zip(parsed.cols.block_number, parsed.cols.block_hash, strict=True)]
            for b in missing:
                if b not in known:
                    raise InputError(f"block {b} has no known time (this file has no block_timestamp): import "
                                     "the ethereum-etl blocks file first, or pull the block",
                                     file=path.name, row=parsed.need_time[b], column="block_number")
        times = {**known, **parsed.times}
        rec = evidence.store(ws, con, path, kind="chain_export", submitted_by=actor)
        store.run(con, "ingest_run_start", {"run_id": run_id, "started_at": utcnow(), "actor": actor,
                                            "evidence_sha256": rec.sha256, "source_name": rec.original_name,
                                            "format": parsed.fmt})
        store.insert_blocks(con, parsed.blocks, chain_id=chain_id, endpoint=endpoint, pulled_at=utcnow())
        result.blocks_added = len(parsed.blocks)
        table = store.transfers_table(parsed.cols, times, evidence_sha256=rec.sha256,
                                      source_rows=parsed.source_rows)
        result.rows_added = store.insert_transfers(con, table, chain_id=chain_id, endpoint=endpoint, run_id=run_id)
        store.run(con, "ingest_run_progress", {"run_id": run_id, "rows_read": parsed.rows_read,
                                               "rows_added": result.rows_added, "finished_at": utcnow(),
                                               "status": "committed" if result.rows_added else "no_change"})
        audit.record(con, ws.keys, ws.settings, actor=actor, action="chain.import", obj=f"evidence:{rec.sha256}",
                     details={"format": parsed.fmt, "rows_read": parsed.rows_read,
                              "rows_added": result.rows_added, "chain_id": chain_id})
    return result
