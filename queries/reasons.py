"""The reason codes of ``queries/sql/detect/03_trade_scores.sql``: the points each one adds to a trade's
score and what it means in plain words, for the people a finding concerns.

The points live here once: ``keytrace detect`` binds them into the scoring query as ``$points_<code>``
(:func:`point_parameters`), the victim's page and docs/detection.md read them from here, and a test
checks the docs against this table. The SQL file says when each code applies.
"""

from __future__ import annotations

# code: (points, meaning). The attack session alone reaches the default min_score (50): the
# contextual codes (thin pair, burst, API, leaked key, no deposit) never decide alone.
REASONS: dict[str, tuple[int, str]] = {
    "ATTACK_SESSION": (50, "part of a run of trades in which someone pumped a thin pair through the account"),
    "PRICE_DEVIATION": (40, "filled far from the pair's reference price on other markets"),
    "THIN_PAIR": (15, "in a pair that trades very little (easy to pump)"),
    "SELL_ALL_BUY_ONE": (30, "several holdings sold to buy one coin"),
    "BOT_BURST": (15, "placed at a speed no person clicking reaches"),
    "CROSS_VICTIM": (15, "other victims' accounts were pumped in the same pair in the same hour"),
    "SAME_COUNTER_ORDER": (15, "filled by the same counter-order as other trades or accounts"),
    "LEAKED_KEY": (15, "the account's API key is among the leaked keys"),
    "API_CHANNEL": (5, "placed through the API"),
    "NO_DEPOSIT_WITHDRAWAL": (5, "no deposit or withdrawal around it (attackers do not deposit)"),
}
REASON_TEXT: dict[str, str] = {code: text for code, (_points, text) in REASONS.items()}


def point_parameters() -> dict[str, int]:
    """The points as the scoring query's parameters: ``points_attack_session`` and so on."""
    return {f"points_{code.lower()}": points for code, (points, _text) in REASONS.items()}


def describe(code: str) -> str:
    return REASON_TEXT.get(code, code)
