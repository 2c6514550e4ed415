"""Address labels (exchange hot wallets, bridges, mixers, ...) imported from CSV; tracing stops at them.

CSV columns (header row, any order): ``address``, ``entity``, ``category`` are required; ``chain_id``
(empty: every EVM chain), ``source`` (default: the file name) and ``confidence`` (0-100, default 50)
are optional. The whole file is checked before anything is written: one bad row refuses the file with
a sentence naming the file, row and column, and the database stays as it was. The file itself is kept
in the evidence store. Importing the same labels again changes nothing (a label is identified by chain,
address, entity and source; a new confidence replaces the old one).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from pathlib import Path

from core import audit, evidence
from core.errors import InputError
from core.workspace import Workspace

CATEGORIES = ("exchange", "bridge", "mixer", "attacker", "victim", "other")
REQUIRED = ("address", "entity", "category")
_ADDRESS = re.compile(r"^0x[0-9a-f]{40}$")


@dataclass(frozen=True)
class Label:
    chain_id: int | None
    address: str
    entity: str
    category: str
    source: str
    confidence: int


@dataclass(frozen=True)
class LabelImport:
    file: str
    rows: int
    added: int
    updated: int
    evidence_sha256: str


def parse(path: Path) -> list[Label]:
    name = path.name
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError("the file is not UTF-8 text", file=name) from exc
    except OSError as exc:
        raise InputError(f"cannot read the file ({exc.strerror})", file=name) from exc
    reader = csv.DictReader(text.splitlines())
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise InputError(f"the header lacks the column(s) {', '.join(missing)}", file=name, row=0)
    reader.fieldnames = header
    out: list[Label] = []
    for i, raw in enumerate(reader, start=1):
        row = {k: (v or "").strip() for k, v in raw.items() if k is not None}
        address = row.get("address", "").lower()
        if not _ADDRESS.match(address):
            raise InputError(f"{row.get('address')!r} is not a 0x-hex address of 20 bytes", file=name, row=i,
                             column="address")
        entity = row.get("entity", "")
        if not entity:
            raise InputError("the entity is empty", file=name, row=i, column="entity")
        category = row.get("category", "").lower()
        if category not in CATEGORIES:
            raise InputError(f"the category {category!r} is not one of {', '.join(CATEGORIES)}", file=name, row=i,
                             column="category")
        chain_text = row.get("chain_id", "")
        try:
            chain_id = int(chain_text) if chain_text else None
        except ValueError:
            raise InputError(f"the chain id {chain_text!r} is not a whole number", file=name, row=i,
                             column="chain_id") from None
        conf_text = row.get("confidence", "")
        try:
            confidence = int(conf_text) if conf_text else 50
        except ValueError:
            raise InputError(f"the confidence {conf_text!r} is not a whole number", file=name, row=i,
                             column="confidence") from None
        if not 0 <= confidence <= 100:
            raise InputError(f"the confidence {confidence} is outside 0-100", file=name, row=i, column="confidence")
        out.append(Label(chain_id, address, entity, category, row.get("source") or name, confidence))
    return out


def import_labels(ws: Workspace, path: Path, actor: str = "cli") -> LabelImport:
    labels = parse(path)
    added = updated = 0
    with ws.db.write() as con:
        record = evidence.store(ws, con, path, kind="address_labels", submitted_by=actor, original_name=path.name)
        for lb in labels:
            same = ("chain_id IS NOT DISTINCT FROM ? AND lower(address) = ? AND entity = ? AND source = ?")
            key = [lb.chain_id, lb.address, lb.entity, lb.source]
            found = con.execute(f"SELECT category, confidence FROM address_labels WHERE {same}", key).fetchall()
            if not found:
                con.execute("INSERT INTO address_labels VALUES (?, ?, ?, ?, ?, ?)",
                            [lb.chain_id, lb.address, lb.entity, lb.category, lb.source, lb.confidence])
                added += 1
            elif found[0] != (lb.category, lb.confidence):
                con.execute(f"UPDATE address_labels SET category = ?, confidence = ? WHERE {same}",
                            [lb.category, lb.confidence, *key])
                updated += 1
        audit.record(con, ws.keys, ws.settings, actor=actor, action="labels.import",
                     obj=f"evidence:{record.sha256}", details={"rows": len(labels), "added": added,
                                                               "updated": updated})
    return LabelImport(path.name, len(labels), added, updated, record.sha256)
