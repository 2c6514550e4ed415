"""Every fixture of these formats: provenance on every stored row, and ingesting it again changes nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from core.db import rows
from core.workspace import Workspace
from tests.ingest.format_helpers import EXPORTS, FIXTURES, ingest

CASES: list[tuple[Path, dict[str, Any]]] = [
    (EXPORTS / "ftx_trades.csv", {"account": "a"}),
    (EXPORTS / "ftx_deposits.csv", {"account": "a"}),
    (EXPORTS / "ftx_withdrawals_api.csv", {"account": "a"}),
    (EXPORTS / "kraken_ledgers.csv", {"account": "a"}),
    (EXPORTS / "kraken_trades.csv", {"account": "a"}),
    (EXPORTS / "coinbase_transactions_2024.csv", {"account": "a"}),
    (EXPORTS / "coinbase_transactions_2021.csv", {"account": "a"}),
    (EXPORTS / "coinbasepro_account_statement.csv", {"account": "a"}),
    (EXPORTS / "coinbasepro_fills.csv", {"account": "a"}),
    (EXPORTS / "okx_trades.csv", {"account": "a"}),
    (EXPORTS / "okx_funding.csv", {"account": "a"}),
    (EXPORTS / "okx_statement_2019.csv", {"account": "a"}),
    (EXPORTS / "bitstamp_transactions.csv", {"account": "a"}),
    (EXPORTS / "binance_card_purchases.csv", {"account": "a"}),
    (EXPORTS / "kucoin_api_responses_ccxt_static.json", {"account": "a"}),
    (EXPORTS / "kucoin_api_fills_item_2019.json", {"account": "a"}),
    (EXPORTS / "binance_api_key_permissions_doc_example.json", {"account": "a", "api_key": "K" * 64}),
    (FIXTURES / "bot_platform" / "3commas_deals.json", {}),
    (FIXTURES / "bot_platform" / "3commas_deals_export.csv", {}),
    (FIXTURES / "prices" / "ETHUSDT-1h-2025-01.csv", {}),
]
TABLES = ("trades", "orders", "ledger_movements", "price_bars", "bot_orders", "api_keys")


def _snapshot(ws: Workspace) -> dict[str, list[tuple[Any, ...]]]:
    with ws.db.read() as con:
        return {t: sorted(tuple(str(v) for v in r.values()) for r in rows(con, f"SELECT * FROM {t}")) for t in TABLES}


@pytest.mark.parametrize(("path", "kwargs"), CASES, ids=[p.name for p, _ in CASES])
def test_provenance_and_idempotent_reingest(ws: Workspace, path: Path, kwargs: dict[str, Any]) -> None:
    first = ingest(ws, path, **kwargs)
    assert first.rows_added == first.rows_staged > 0 and first.rows_read > 0
    with ws.db.read() as con:
        for table in TABLES:
            bad = con.execute(f"SELECT count(*) FROM {table} WHERE evidence_sha256 IS DISTINCT FROM ?",
                              [first.evidence_sha256]).fetchall()[0][0]
            assert bad == 0, table
            if table != "api_keys":
                assert con.execute(f"SELECT count(*) FROM {table} WHERE source_row IS NULL OR source_row < 1 "
                                   "OR ingest_run_id IS DISTINCT FROM ?", [first.run_id]).fetchall()[0][0] == 0
    before = _snapshot(ws)
    again = ingest(ws, path, **kwargs)
    assert (again.rows_added, again.evidence_sha256, again.evidence_is_new) == (0, first.evidence_sha256, False)
    assert (again.rows_read, again.rows_already_known) == (first.rows_read, first.rows_staged)
    assert _snapshot(ws) == before
