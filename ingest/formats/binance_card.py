"""Binance "Buy Crypto" history (card purchases): fiat spent by card for a crypto asset.

Header ``Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID``. Amounts carry their
asset after a space (``500.00 CAD``), the price its pair (``1.30771315 USDT/CAD``: CAD per USDT). A
completed purchase becomes one buy of ``Final Amount`` at that price; its quote amount is ``Amount -
Fees`` (what bought the asset) and the fee is ``Fees``. Failed, refunded or pending purchases moved
nothing and are not trades: they are left out. The export names no account: ``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_card_purchases",
        row_local=False,  # filters or multiplies rows: numbered with a window
        exchange="binance",
        kind="trades",
        description="Binance Buy Crypto (card) history, Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,"
                    "Transaction ID",
        header=r"Date\(UTC[^)]*\),Method,Amount,Price,Fees,Final Amount,Status,Transaction ID,?",
        time_column="date",
    ),
]
