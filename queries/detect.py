"""`keytrace detect`: recompute the findings tables from the canonical tables, in one transaction.

The questions themselves are the SQL files under ``queries/sql`` (read their headers); this module only
orders them, binds the thresholds from ``[detection]`` in keytrace.toml and replaces the previous
findings, so running it twice gives the same rows.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import duckdb

from core import audit
from core.db import migrations, utcnow
from core.errors import ConfigError, DetectionError, KeytraceError
from core.workspace import Workspace
from queries import runner
from queries.reasons import point_parameters

# Default thresholds and why (override any of them under [detection] in keytrace.toml).
DEFAULTS: dict[str, int | float] = {
    # Prism Labs' compromised-account monitoring flags fills more than 20% off a reference price; the real
    # cases were far beyond that (9x AKRO/MIR, 11-100x VIA, 10^6x SYS), ordinary slippage is far below.
    "price_deviation": 0.20,
    # Prism Labs' illiquid-pair rule: average daily volume under $100k over 7 days.
    "thin_adv_usd": 100_000,
    # "sold all my assets into a low-cap coin": two or more different holdings sold in one session.
    "sell_all_min_assets": 2,
    # Bot cadence: the 3Commas-era attacks ran 4,200 orders in 84 min (50/min) and sub-second gaps;
    # 8 fills within +-60 s is beyond a person clicking but met by every attack described.
    "burst_seconds": 60,
    "burst_min_trades": 8,
    # Cross-victim synchrony needs at least two accounts pumping the same pair in the same window.
    "cross_victim_min_accounts": 2,
    # One counter-order filling the same account three times (or another account at all).
    "counter_min_fills": 3,
    # "Hackers don't deposit": no deposit or withdrawal within a day of the session.
    "quiet_hours": 24,
    # A bot-platform order and the exchange fill it produced are seconds apart; 2 minutes allows for
    # clock skew between the platform's log and the exchange.
    "bot_match_seconds": 120,
    # An attack is one run of bot-speed orders; a 10-minute pause ends the session.
    "session_gap_seconds": 600,
    # A session is an attack when at least three of its buys are priced above the deviation threshold;
    # a single mis-priced fill in a thin book can happen to anyone.
    "min_pump_trades": 3,
    # Unauthorised needs the attack session (50 points by itself) and 50 points: in the demo incident and
    # the real cases every trade of an attack session that the user's bot does not explain was the
    # attacker's (the sells that fund the pump carry few other signs); 80 would demand corroboration
    # such as a leaked key (15) and bot cadence (15).
    "min_score": 50,
    # Sessions pumping the same pair belong to one campaign unless 6 hours pass between them.
    "campaign_gap_hours": 6,
    # DuckDB's working-memory cap for the detection transaction (it spills to disk beyond it), so that
    # detection stays within 3 GB next to the app and an ingest on a small machine.
    "memory_limit_mb": 2048,
}

TABLES = ["account_losses", "campaigns", "unauthorized_trades", "campaign_accounts", "trade_scores",
          "compromised_keys", "detection_exclusions"]
# The models of queries/sql/detect/, in their numbered order, with the findings table each one's rows go
# into ("" for a step that updates a table itself: 06_campaign_account_losses adds each campaign
# account's loss once the unauthorised trades are valued).
def model(step: str) -> str:
    """The model a step computes: ``detect/03_trade_scores`` -> ``trade_scores``."""
    return step.split("/", 1)[1].split("_", 1)[1]


STEPS: list[tuple[str, str]] = [(name, model(name) if model(name) in TABLES else "")
                                for name in runner.names("detect")]


@dataclass(frozen=True)
class DetectionSummary:
    run_id: str
    trades_scored: int
    unauthorized: int
    accounts: int
    campaigns: int
    compromised_keys: int
    loss_usd: str
    settings: dict[str, int | float]
    excluded: tuple[str, ...] = ()   # one sentence per account left out (detection_exclusions)

    def as_dict(self) -> dict[str, Any]:
        return {"run_id": self.run_id, "trades_scored": self.trades_scored, "unauthorized": self.unauthorized,
                "accounts": self.accounts, "campaigns": self.campaigns,
                "compromised_keys": self.compromised_keys, "loss_usd": self.loss_usd,
                "settings": self.settings, "excluded": list(self.excluded)}


# Assets worth one US dollar: a trade quoted in one is valued at par, and a price bar quoted in one prices
# its base asset in USD (the reference prices of a fee or quote asset). Bound as $usd_stablecoins.
USD_STABLECOINS: tuple[str, ...] = ("USD", "USDT", "USDC", "BUSD", "TUSD", "DAI", "FDUSD", "USDP")


# What a loss in USD means, in the words every page, report, export and the demo's truth file quote
# (queries/sql/detect/05_unauthorized_trades.sql and 08_account_losses.sql compute it).
LOSS_DEFINITION = (
    "For each unauthorised trade, the value given up minus the fair value received, both at the fair price, "
    "fees included at their fair value. The fair price of a pair is the median close of its 1h reference "
    "bars opening in the 24 hours before the account's first unauthorised trade (the mean of the two middle "
    "closes when their number is even); a quote or fee asset that is not a USD stablecoin (" +
    ", ".join(USD_STABLECOINS) + ", valued at 1 USD) is converted with the median close of "
    "ASSET/USDT over the same window. An account's loss is the sum over its unauthorised trades, and never "
    "below zero; a campaign's, the sum over its accounts' sessions.")


def bound(settings: dict[str, int | float]) -> dict[str, Any]:
    """What the detection steps are bound with: the thresholds, the reason codes' points
    (queries/reasons.py) and the USD stablecoins; the same on DuckDB and Spark."""
    return {**settings, **point_parameters(), "usd_stablecoins": list(USD_STABLECOINS)}


def thresholds(ws: Workspace) -> dict[str, int | float]:
    configured = ws.settings.section("detection")
    out = dict(DEFAULTS)
    for key, value in configured.items():
        if key not in DEFAULTS:
            raise ConfigError(f"[detection] in keytrace.toml has an unknown setting {key!r}; "
                              f"known: {', '.join(sorted(DEFAULTS))}")
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise ConfigError(f"[detection] {key} must be a number, not {value!r}")
        out[key] = value
    return out


def detect(ws: Workspace, actor: str = "cli", progress: Callable[[str, float], None] | None = None) -> DetectionSummary:
    """Recompute every findings table; ``progress(step, fraction)`` hears of each step (the app's bar)."""
    params = thresholds(ws)
    have, need = ws.db.schema_version(), max(v for v, _name, _sql in migrations())
    if have < need:
        raise DetectionError(f"the database {ws.settings.db_path.name} is at schema version {have} and this "
                             f"keytrace needs {need}: run `keytrace init` once to upgrade it, then detect")
    try:
        return _detect(ws, actor, params, progress)
    except KeytraceError:
        raise
    except duckdb.Error as exc:  # what the data holds must never surface as a traceback
        raise DetectionError(_sentence(exc)) from exc


def _sentence(exc: duckdb.Error) -> str:
    first = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    step = getattr(exc, "keytrace_step", None)
    where = f" at step {step} (queries/sql/{step}.sql)" if step else ""
    return (f"detection stopped{where}: {first}; the previous findings are kept, and no account's "
            "evidence was changed")


def _detect(ws: Workspace, actor: str, params: dict[str, int | float],
            progress: Callable[[str, float], None] | None) -> DetectionSummary:
    started = utcnow()
    run_id = uuid.uuid4().hex
    with ws.db.write() as con:
        con.execute(f"SET memory_limit = '{int(params['memory_limit_mb'])}MB'").fetchall()
        # findings have no row order; not keeping the insertion order saves memory on 10M-row inserts
        con.execute("SET preserve_insertion_order = false").fetchall()
        for table in TABLES:
            con.execute(f"DELETE FROM {table}").fetchall()
        for i, (name, table) in enumerate(STEPS):
            if progress is not None:
                progress(model(name), i / len(STEPS))
            try:
                runner.execute(con, name, bound(params), into=table or None)
            except duckdb.Error as exc:
                exc.keytrace_step = name  # type: ignore[attr-defined]
                raise
        if progress is not None:
            progress("done", 1.0)
        excluded = tuple(str(r[0]) for r in con.execute(
            "SELECT reason FROM detection_exclusions ORDER BY exchange, account").fetchall())
        counts = con.execute(
            "SELECT (SELECT count(*) FROM trade_scores), (SELECT count(*) FROM unauthorized_trades),"
            " (SELECT count(*) FROM account_losses), (SELECT count(*) FROM campaigns),"
            " (SELECT count(*) FROM compromised_keys),"
            " (SELECT coalesce(sum(loss_usd), 0) FROM account_losses)").fetchall()[0]
        con.execute("INSERT INTO detection_runs VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [run_id, started, utcnow(), json.dumps(params, sort_keys=True), counts[0], counts[1],
                     counts[3]]).fetchall()
        audit.record(con, ws.keys, ws.settings, actor=actor, action="detect", obj=f"detection_run:{run_id}",
                     details={"trades_scored": int(counts[0]), "unauthorized": int(counts[1]),
                              "campaigns": int(counts[3]), "accounts_left_out": len(excluded)})
    return DetectionSummary(run_id=run_id, trades_scored=int(counts[0]), unauthorized=int(counts[1]),
                            accounts=int(counts[2]), campaigns=int(counts[3]),
                            compromised_keys=int(counts[4]), loss_usd=f"{counts[5]:.2f}", settings=params,
                            excluded=excluded)
