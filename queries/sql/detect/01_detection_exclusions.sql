-- detection_exclusions: which accounts must detection leave out, because their evidence is in dispute?
-- An export without a UID (a Binance Trade History) is stored under the account it was filed for. When
-- the same file (SHA-256) was filed under two or more accounts, its trades would be scored, and their
-- loss counted, once per account, and the copies would look like a second victim trading the same
-- pair in the same minute. The account it was filed under first keeps it; every later one is left out
-- of the run, with a sentence naming the file and the account that holds it, until an investigator
-- settles it (withdraws the upload, or removes the rows). Withdrawn runs do not count.
-- Grain: one row per (exchange, account) left out. Columns: exchange, account, reason, evidence_sha256.
-- Params: none.
WITH filed AS (
    SELECT r.evidence_sha256, lower(r.exchange) AS exchange, r.account, min(r.started_at) AS first_at
    FROM ingest_runs r
    WHERE r.status = 'committed' AND r.rows_added > 0 AND NOT coalesce(r.account_from_file, false)
      AND r.account IS NOT NULL AND r.account <> '' AND NOT contains(r.account, ',')
    GROUP BY r.evidence_sha256, lower(r.exchange), r.account
),
ranked AS (
    SELECT f.*, row_number() OVER (PARTITION BY f.evidence_sha256, f.exchange ORDER BY f.first_at, f.account) AS nth,
           first_value(f.account) OVER (PARTITION BY f.evidence_sha256, f.exchange ORDER BY f.first_at, f.account)
               AS holder
    FROM filed f
),
disputed AS (
    SELECT r.exchange, r.account, r.evidence_sha256, r.holder,
           row_number() OVER (PARTITION BY r.exchange, r.account ORDER BY r.first_at, r.evidence_sha256) AS k
    FROM ranked r
    WHERE r.nth > 1
      AND EXISTS (SELECT 1 FROM executions e WHERE e.exchange = r.exchange AND e.account = r.account)
)
SELECT d.exchange, d.account,
       d.exchange || ':' || d.account || ' was left out of detection: its trades come from '
           || coalesce(ef.original_name, 'a file') || ' (SHA-256 ' || left(d.evidence_sha256, 12)
           || '...), an export without a UID that was filed under ' || d.exchange || ':' || d.holder
           || ' first; one file cannot be the evidence of two accounts, so an investigator must decide '
           || 'which account it belongs to (withdraw the wrong upload)' AS reason,
       d.evidence_sha256
FROM disputed d
LEFT JOIN evidence_files ef ON ef.sha256 = d.evidence_sha256
WHERE d.k = 1
