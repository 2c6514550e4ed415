"""Asset lists that split Binance's fused pairs (``1000SATSUSDT``) and amounts (``100.0001INCH``).

A fused pair is split at the longest known quote asset that ends it; a fused amount at the asset the
pair names, or else at an asset of :data:`DIGIT_LED_ASSETS` or a plain ticker (letters first). The
regular expressions are bound as SQL parameters, never pasted into SQL text.
"""

from __future__ import annotations

import re

# Quote assets Binance has listed spot pairs against (longest tried first by the lazy base match).
QUOTE_ASSETS: tuple[str, ...] = (
    "FDUSD", "USDT", "BUSD", "TUSD", "USDC", "USDP", "USDS", "PAX", "DAI", "UST", "AEUR", "EURI",
    "BTC", "ETH", "BNB", "XRP", "TRX", "DOGE", "DOT", "SOL", "JPY", "IDRT", "BIDR", "BVND", "BKRW",
    "NGN", "RUB", "TRY", "EUR", "GBP", "AUD", "BRL", "UAH", "ZAR", "PLN", "RON", "ARS", "COP", "MXN",
    "CZK", "USD",
)

# Tickers that begin with a digit: a naive number/ticker split gets them wrong.
DIGIT_LED_ASSETS: tuple[str, ...] = (
    "1000SATS", "1000CAT", "1000CHEEMS", "1000PEPE", "1000SHIB", "1000FLOKI", "1000BONK", "1000LUNC",
    "1000XEC", "1000RATS", "1000WHY", "1000X", "1MBABYDOGE", "1INCH", "1INCHDOWN", "1INCHUP",
)


def _alternation(items: tuple[str, ...]) -> str:
    return "|".join(re.escape(a) for a in sorted(items, key=lambda a: (-len(a), a)))


# ^(base)(quote)$ with the base as short as possible, i.e. the quote as long as possible.
PAIR_REGEX = r"^([A-Z0-9]+?)(" + _alternation(QUOTE_ASSETS) + r")$"
# the asset at the end of a fused amount: a digit-led ticker, else a ticker that starts with a letter
ASSET_SUFFIX_REGEX = r"(" + _alternation(DIGIT_LED_ASSETS) + r"|[A-Z][A-Z0-9]*)$"


def split_pair(pair: str) -> tuple[str, str] | None:
    """Python twin of the SQL split (used by tests and the benchmark's generator)."""
    m = re.match(PAIR_REGEX, pair.upper())
    return (m.group(1), m.group(2)) if m else None


# Which asset of a trade is its quote, when only its legs say what was traded (a statement, a ledger):
# the first of the two in this list. Stablecoins quote everything (EUR/USDT), fiat quotes coins
# (BTC/EUR), then the coins exchanges quote against (ETH/BTC, BNB/ETH). Two unlisted assets: by name.
LEG_QUOTE_PRECEDENCE: tuple[str, ...] = (
    "USDT", "FDUSD", "BUSD", "USDC", "TUSD", "USDP", "DAI", "PAX", "UST", "USDS", "AEUR", "EURI",
    "USD", "EUR", "GBP", "TRY", "BRL", "AUD", "RUB", "UAH", "NGN", "ZAR", "PLN", "RON", "ARS", "COP", "MXN",
    "CZK", "JPY", "IDRT", "BIDR", "BVND", "BKRW",
    "BTC", "ETH", "BNB", "XRP", "TRX", "DOGE", "DOT", "SOL",
)
