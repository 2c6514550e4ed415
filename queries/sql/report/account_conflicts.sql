-- report_account_conflicts: where do an account's kinds of evidence disagree about its executions?
-- (ingest/reconcile.py stores them: the kept side stays the executions, nothing is merged.)
-- Grain: one row per stored conflict (execution_conflicts), in time order.
-- Columns: time_utc, pair, side, conflict, kept_from, kept_value, other_from, other_value,
--   evidence_sha256, source_row (the kept execution, if any), other_sha256, other_rows, detail.
-- Params: $exchange, $account.
SELECT time_utc, pair, side, conflict, kept_from, kept_value, other_from, other_value, evidence_sha256,
       source_row, other_sha256, other_rows, detail
FROM execution_conflicts
WHERE exchange = $exchange AND account = $account
ORDER BY time_utc, conflict, other_sha256
