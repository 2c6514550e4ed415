"""Kraken exports: the ledger (every balance change) and the trades history.

Kraken writes every field in double quotes, assets in its legacy X/Z codes (``XXBT``, ``ZEUR``,
``XXDG``) next to plain ones (``ADA``, ``DOT.S`` for staked DOT), and pairs fused
(``XXBTZEUR``, ``ADAEUR``, ``XBTUSDT``) or, in newer exports, with a slash (``XBT/EUR``). Assets are
normalised (``XXBT``/``XBT`` -> BTC, ``XXDG``/``XDG`` -> DOGE, ``ZEUR`` -> EUR); suffixed staking assets
keep their suffix. Times are UTC, sometimes with fractional seconds (``2021-07-23 11:22:54.9881``).
Neither export names the account: ``--account`` is required.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.formats.base import FileHead, FormatSpec, Options

# four-letter legacy codes whose first letter is only Kraken's X (crypto) / Z (fiat) prefix
LEGACY_CODES: tuple[str, ...] = (
    "XETC", "XETH", "XLTC", "XMLN", "XREP", "XXBT", "XXDG", "XXLM", "XXMR", "XXRP", "XZEC",
    "ZAUD", "ZCAD", "ZCHF", "ZEUR", "ZGBP", "ZJPY", "ZUSD",
)
QUOTES: tuple[str, ...] = (
    "ZEUR", "ZUSD", "ZGBP", "ZCAD", "ZJPY", "ZCHF", "ZAUD", "XXBT", "XETH", "USDT", "USDC", "PYUSD",
    "EUR", "USD", "GBP", "CAD", "JPY", "CHF", "AUD", "XBT", "ETH", "DOT", "DAI",
)
PAIR_REGEX = r"^(X[A-Z]{3}|Z[A-Z]{3}|[A-Z0-9.]+?)(" + "|".join(sorted(QUOTES, key=lambda q: (-len(q), q))) + r")$"


def normalise_asset(code: str) -> str:
    """Python twin of the SQL mapping (tests, property tests)."""
    code = code.strip().upper()
    if code in LEGACY_CODES:
        code = code[1:]
    return {"XBT": "BTC", "XDG": "DOGE"}.get(code, code)


def _params(head: FileHead, options: Options) -> Mapping[str, Any]:
    return {"kraken_legacy_codes": list(LEGACY_CODES), "kraken_pair_regex": PAIR_REGEX}


FORMATS: list[FormatSpec] = [
    FormatSpec(
        name="kraken_ledgers",
        exchange="kraken",
        kind="ledger_movements",
        description="Kraken ledgers, txid,refid,time,type,subtype,aclass,[subclass,]asset,[wallet,]amount,fee,balance",
        header=r"txid,refid,time,type,subtype,aclass,(subclass,)?asset,(wallet,)?amount,fee,balance(,amountusd)?",
        time_column="time",
        optional_columns=("subclass", "wallet", "amountusd"),
        params=_params,
        records_trades=True,
        row_local=False,  # pending duplicates are left out, and each balance is checked against the previous
    ),
    FormatSpec(
        name="kraken_trades",
        exchange="kraken",
        kind="trades",
        description="Kraken trades, txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers",
        header=r"txid,ordertxid,pair,(aclass,)?(subclass,)?time,type,ordertype,price,cost,fee,vol,margin,misc,ledgers(,.*)?",
        time_column="time",
        params=_params,
    ),
]
