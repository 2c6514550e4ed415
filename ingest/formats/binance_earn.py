"""Binance Auto-Invest and ETH 2.0 Staking histories (the "supplemental" exports beside the statement).

* Auto-Invest (``binance_auto_invest``, into ``trades``): ``Auto-Invest Date(UTC),Holding Coin,Amount per period,
  Trading Fee,Units,From,Status``. Amounts carry their asset (``10.00000000 USDT``, ``0.01000000 ETH``) and a fee
  not charged is written ``--``. A successful period is a purchase of Units of the Holding Coin for Amount per
  period of the quote asset, the fee beside it; the price is Amount per period / Units, an exact DECIMAL
  division truncated to 18 decimals (see the SQL). ``From`` (the wallet that paid) is kept as ``channel``.
  Binance delivers the export as XLSX (read like any workbook); a CSV re-saved by a spreadsheet writes dates
  ``5/1/2022 14:00``, which are refused without ``--dayfirst`` like every re-saved date.
* ETH 2.0 Staking (``binance_eth2_staking``, into ``ledger_movements``): ``Date(UTC),Coin,Token,Amount,Status``.
  A successful staking is two balance changes (ETH out, BETH in, the same Amount), as the statement records
  it; see the SQL for why it is not a trade.

The headers are known from dali-rp2 (eprbell/dali-rp2, Apache-2.0: ``src/dali/plugin/input/csv/
binance_com_supplemental.py`` and its test files ``input/test_binance_autoinvest.csv`` and
``input/test_binance_betheth.csv``); the fixtures' values are our own. Neither export names the account:
``--account``.
"""

from __future__ import annotations

from ingest.formats.base import FormatSpec

FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="binance_auto_invest",
        row_local=False,  # keeps only the successful periods
        exchange="binance",
        kind="trades",
        description="Binance Auto-Invest history, Auto-Invest Date(UTC),Holding Coin,Amount per period,Trading Fee,"
                    "Units,From,Status",
        header=r"Auto-Invest Date(\(UTC[^)]*\))?,Holding Coin,Amount per period,Trading Fee,Units,From,Status,?",
        columns=("date", "holding_coin", "amount", "trading_fee", "units", "source_wallet", "status"),
        time_column="date",
    ),
    FormatSpec(
        name="binance_eth2_staking",
        row_local=False,  # two movements per successful staking
        exchange="binance",
        kind="ledger_movements",
        description="Binance ETH 2.0 Staking history, Date(UTC),Coin,Token,Amount,Status (ETH out, BETH in)",
        header=r"Date(\(UTC[^)]*\))?,Coin,Token,Amount,Status,?",
        time_column="date",
    ),
]
