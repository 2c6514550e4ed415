-- evidence_held_by_other_account: which other accounts already hold this file as their evidence?
-- Asked before a file without a UID is stored under $account: such a file says nothing about whose it
-- is, so once it is one account's evidence it cannot become another's (detection would count its
-- trades twice). Runs that were withdrawn, or stored nothing, do not count.
-- Grain: one row per other account. Columns: account. Params: $sha, $exchange, $account.
SELECT DISTINCT r.account
FROM ingest_runs r
WHERE r.evidence_sha256 = $sha AND lower(r.exchange) = lower($exchange) AND r.status = 'committed'
  AND r.rows_added > 0 AND r.account IS NOT NULL AND r.account <> ''
  AND NOT list_contains(string_split(r.account, ','), $account)
ORDER BY r.account
