"""Shared helpers of the chain tests: run the CLI, read the stored transfers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from app.cli import main
from core.workspace import Workspace


def cli(ws: Workspace, capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, Any, str]:
    code = main(["--db", str(ws.settings.db_path), *argv])
    out = capsys.readouterr()
    data = None
    if "--json" in argv and code == 0:
        data = json.loads(out.out)
    return code, data, out.err


def stored(ws: Workspace, chain_id: int | None = None) -> list[tuple[int, str, int | None, str, str, str, str, int]]:
    with ws.db.read() as con:
        rows = con.execute(
            "SELECT block_number, tx_hash, log_index, kind, token, from_address, to_address, value "
            "FROM transfers WHERE ? IS NULL OR chain_id = ?", [chain_id, chain_id]).fetchall()
    out = [(int(b), str(tx), None if li is None else int(li), str(k), str(t), str(f), str(to), int(v))
           for b, tx, li, k, t, f, to, v in rows]
    return sorted(out, key=lambda r: (r[0], r[1], -1 if r[2] is None else r[2], r[3], r[6]))
