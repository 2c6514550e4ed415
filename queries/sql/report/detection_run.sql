-- report_detection_run: the latest `keytrace detect` run (when, and the thresholds it used), quoted in
-- reports' methodology appendix.
-- Grain: one row (or none before the first detection).
-- Params: none.
SELECT run_id, started_at, finished_at, settings_json, trades_scored, unauthorized, campaigns
FROM detection_runs
ORDER BY finished_at DESC
LIMIT 1
