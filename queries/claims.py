"""What keytrace finds about a claim, read-only: the ownership grades its evidence reaches and its fraud
signals. The claim page, the review queue, the claim PDF and ``keytrace claims`` read them here, with the
same thresholds; grading a claim and keeping the grades (a write) is ingest/ownership.py's.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import duckdb

from queries import runner
from queries.records import EvidenceGrade, FraudSignal

# A claimed loss more than 50% above the computed one (and more than $100 above it) is a fraud signal:
# fees, rounding and the choice of fair price move an honest figure by a few percent, not by half.
DEFAULT_LOSS_RATIO = Decimal("1.5")
DEFAULT_LOSS_SLACK_USD = Decimal("100")


def ownership_grades(con: duckdb.DuckDBPyConnection, claim_id: int) -> list[EvidenceGrade]:
    """Every ownership grade the claim's evidence reaches now, highest first."""
    got = [EvidenceGrade(int(r["level"]), str(r["reason"]))
           for r in runner.run(con, "claims/ownership_evidence", {"claim_id": claim_id})]
    return sorted(got, key=lambda g: (-g.level, g.reason))


def fraud_signals(con: duckdb.DuckDBPyConnection, claim_id: int | None = None, *,
                  loss_ratio: Decimal = DEFAULT_LOSS_RATIO,
                  loss_slack_usd: Decimal = DEFAULT_LOSS_SLACK_USD) -> list[FraudSignal]:
    """The fraud signals of one claim (or of every claim)."""
    params: dict[str, Any] = {"claim_id": claim_id, "loss_ratio": loss_ratio, "loss_slack_usd": loss_slack_usd}
    return [FraudSignal(int(r["claim_id"]), str(r["signal"]), str(r["detail"]))
            for r in runner.run(con, "claims/fraud_signals", params)]
