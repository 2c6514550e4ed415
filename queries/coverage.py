"""What an account's evidence of executions covers (queries/sql/report/account_coverage.sql), in one place
for the account page and the claim report."""

from __future__ import annotations

# a stretch without any evidence of executions longer than this is a gap; shorter ones are the quiet
# time between two consecutive exports' rows
COVERAGE_GAP_HOURS = 24
# ingest_runs.evidence_kind of evidence of executions, in the investigator's words
COVERAGE_KINDS = {"fills": "trade history / fills", "orders": "filled orders", "statement": "statement / ledger"}
