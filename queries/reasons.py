"""The reason codes of ``queries/sql/trade_scores.sql`` in plain words, for the people a finding concerns.

The SQL file is the definition (points, thresholds); these sentences say what each code means for a
victim reading why their trades were judged unauthorised.
"""

from __future__ import annotations

REASON_TEXT: dict[str, str] = {
    "ATTACK_SESSION": "part of a run of trades in which someone pumped a thin pair through the account",
    "PRICE_DEVIATION": "filled far from the pair's reference price on other markets",
    "THIN_PAIR": "in a pair that trades very little (easy to pump)",
    "SELL_ALL_BUY_ONE": "several holdings sold to buy one coin",
    "BOT_BURST": "placed at a speed no person clicking reaches",
    "CROSS_VICTIM": "other victims' accounts were pumped in the same pair in the same hour",
    "SAME_COUNTER_ORDER": "filled by the same counter-order as other trades or accounts",
    "LEAKED_KEY": "the account's API key is among the leaked keys",
    "API_CHANNEL": "placed through the API",
    "NO_DEPOSIT_WITHDRAWAL": "no deposit or withdrawal around it (attackers do not deposit)",
}


def describe(code: str) -> str:
    return REASON_TEXT.get(code, code)
