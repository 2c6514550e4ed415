-- What it answers: for the claimant's own page, what keytrace holds of the claimed account and what
-- it made of it: the claim's uploads (state, whether the file's own rows name the account), the
-- account's executions, whether detection scored it, left it out, or ran before the latest upload.
-- Grain: one row per upload of the claim (state, name, names_account), plus one summary row
-- (kind = 'account') with executions, scored, excluded_reason, detection_at, newer_than_detection.
-- Parameters: $claim_id, $exchange, $account.
WITH last AS (
    SELECT max(started_at) AS started_at, max(finished_at) AS finished_at FROM detection_runs
)
SELECT 'upload' AS kind, coalesce(ce.original_name, e.original_name) AS name, ce.state,
       EXISTS (SELECT 1 FROM ingest_runs r
               WHERE r.evidence_sha256 = ce.evidence_sha256 AND r.account_from_file
                 AND list_contains(string_split(r.account, ','), $account)) AS names_account,
       (SELECT r.format FROM ingest_runs r WHERE r.run_id = ce.ingest_run_id) AS format,
       CAST(NULL AS BIGINT) AS executions, CAST(NULL AS BIGINT) AS scored, CAST(NULL AS VARCHAR) AS excluded_reason,
       CAST(NULL AS TIMESTAMPTZ) AS detection_at, CAST(NULL AS BOOLEAN) AS newer_than_detection
FROM claim_evidence ce
JOIN evidence_files e ON e.sha256 = ce.evidence_sha256
WHERE ce.claim_id = $claim_id
UNION ALL
SELECT 'account', NULL, NULL, NULL, NULL,
       (SELECT count(*) FROM executions WHERE exchange = $exchange AND account = $account),
       (SELECT count(*) FROM trade_scores WHERE exchange = $exchange AND account = $account),
       (SELECT any_value(reason) FROM detection_exclusions WHERE exchange = $exchange AND account = $account),
       (SELECT finished_at FROM last),
       EXISTS (SELECT 1 FROM ingest_runs r, last l
               WHERE lower(r.exchange) = $exchange AND list_contains(string_split(r.account, ','), $account)
                 AND r.rows_added > 0 AND r.status = 'committed'
                 AND r.finished_at > coalesce(l.started_at, TIMESTAMPTZ '1970-01-01 00:00:00+00'))
