-- What it answers: does a claimant's upload, just merged (uncommitted) into the claimed account, look
-- like someone else's evidence? Run inside the upload's write transaction, after the account's
-- executions were re-derived; any row it returns holds the upload in quarantine (the transaction is
-- rolled back, the file is kept hashed and encrypted) until staff accept it.
--   UPLOAD_SAME_FILE_OTHER_ACCOUNT  the same file (SHA-256) is already the evidence of another account
--   UPLOAD_SAME_FILE_OTHER_CLAIM    the same file is attached to another person's claim
--   UPLOAD_SAME_EXECUTIONS          at least half of the file's executions (same pair, side, second,
--                                   quantity and price) are already executions of another account
--   UPLOAD_CONTRADICTS_ACCOUNT      where the file and the account's other evidence cover the same
--                                   period, fewer than half of the executions there are in both and
--                                   agree (an execution whose quantities differ between them, a stored
--                                   execution_conflicts row, does not agree)
-- Grain: one row per signal. Columns: signal, detail.
-- Parameters: $sha (the upload), $exchange, $account (the claimed account), $claim_id.
WITH disputed AS (
    -- executions whose quantities this file and another file of the account give differently
    SELECT DISTINCT c.evidence_sha256, c.source_row
    FROM execution_conflicts c
    WHERE c.exchange = $exchange AND c.account = $account AND c.conflict IN ('quantity', 'quote_quantity')
      AND c.evidence_sha256 IS NOT NULL AND (c.other_sha256 = $sha) <> (c.evidence_sha256 = $sha)
),
mine AS (
    -- the claimed account's executions, and whether this file and other files record each one
    SELECT e.exchange, e.account, e.evidence_sha256, e.source_row, e.time_utc, e.pair, e.side, e.quantity,
           e.price, e.base_asset, e.quote_asset,
           bool_or(s.src_sha256 = $sha) AS in_file,
           bool_or(s.src_sha256 <> $sha) AS in_others,
           bool_or(d.source_row IS NOT NULL) AS disagrees
    FROM executions e
    JOIN execution_sources s ON s.exchange = e.exchange AND s.account = e.account
                            AND s.evidence_sha256 = e.evidence_sha256 AND s.source_row = e.source_row
    LEFT JOIN disputed d ON d.evidence_sha256 = e.evidence_sha256 AND d.source_row = e.source_row
    WHERE e.exchange = $exchange AND e.account = $account
    GROUP BY ALL
),
from_file AS (
    SELECT * FROM mine WHERE in_file
),
same_elsewhere AS (
    SELECT o.account, count(DISTINCT (f.evidence_sha256, f.source_row)) AS matched
    FROM from_file f
    JOIN executions o ON o.exchange = f.exchange AND o.account <> f.account AND o.pair = f.pair
                     AND o.side = f.side AND o.time_utc = f.time_utc AND o.quantity = f.quantity
                     AND o.price = f.price
    GROUP BY o.account
),
overlap_window AS (
    SELECT greatest((SELECT min(time_utc) FROM mine WHERE in_file), (SELECT min(time_utc) FROM mine WHERE in_others))
               AS w_start,
           least((SELECT max(time_utc) FROM mine WHERE in_file), (SELECT max(time_utc) FROM mine WHERE in_others))
               AS w_end
),
overlap AS (
    SELECT count(*) FILTER (WHERE in_file AND in_others AND NOT disagrees) AS both_,
           count(*) FILTER (WHERE in_file AND in_others AND disagrees) AS differ,
           count(*) FILTER (WHERE in_file AND NOT in_others) AS file_only,
           count(*) FILTER (WHERE in_others AND NOT in_file) AS others_only,
           string_agg(DISTINCT CASE WHEN in_file THEN base_asset END, ', ' ORDER BY CASE WHEN in_file THEN base_asset END)
               AS file_assets,
           string_agg(DISTINCT CASE WHEN in_others THEN base_asset END, ', ' ORDER BY CASE WHEN in_others THEN base_asset END)
               AS other_assets,
           any_value(w.w_start) AS w_start, any_value(w.w_end) AS w_end
    FROM mine m, overlap_window w
    WHERE w.w_start <= w.w_end AND m.time_utc BETWEEN w.w_start AND w.w_end
)
SELECT 'UPLOAD_SAME_FILE_OTHER_ACCOUNT' AS signal,
       'the same file (SHA-256 ' || left($sha, 12) || '...) is already the evidence of '
           || $exchange || ':' || string_agg(DISTINCT r.account, ', ' ORDER BY r.account) AS detail
FROM ingest_runs r
WHERE r.evidence_sha256 = $sha AND lower(r.exchange) = $exchange AND r.status = 'committed'
  AND r.rows_added > 0 AND NOT list_contains(string_split(r.account, ','), $account)
HAVING count(*) > 0
UNION ALL
SELECT 'UPLOAD_SAME_FILE_OTHER_CLAIM',
       'the same file is attached to claim ' || string_agg(DISTINCT CAST(ce.claim_id AS VARCHAR), ', ')
           || ', filed by another person'
FROM claim_evidence ce
JOIN claims other ON other.id = ce.claim_id
JOIN claims this ON this.id = $claim_id
WHERE ce.evidence_sha256 = $sha AND ce.claim_id <> $claim_id AND other.user_id <> this.user_id
  AND coalesce(ce.state, 'accepted') <> 'withdrawn'
HAVING count(*) > 0
UNION ALL
SELECT 'UPLOAD_SAME_EXECUTIONS',
       CAST(se.matched AS VARCHAR) || ' of the file''s ' || CAST(n.total AS VARCHAR)
           || ' executions are already executions of ' || $exchange || ':' || se.account
           || ' (same pair, side, second, quantity and price)'
FROM same_elsewhere se, (SELECT count(*) AS total FROM from_file) n
WHERE n.total > 0 AND 2 * se.matched >= n.total
UNION ALL
SELECT 'UPLOAD_CONTRADICTS_ACCOUNT',
       'from ' || strftime(o.w_start, '%Y-%m-%d %H:%M:%S') || ' to ' || strftime(o.w_end, '%Y-%m-%d %H:%M:%S')
           || ' UTC, which this file and the account''s other evidence both cover, '
           || CAST(o.file_only AS VARCHAR) || ' executions are only in this file, '
           || CAST(o.others_only AS VARCHAR) || ' only in the other evidence, ' || CAST(o.differ AS VARCHAR)
           || ' in both with different quantities and ' || CAST(o.both_ AS VARCHAR)
           || ' in both alike (this file trades ' || coalesce(o.file_assets, 'nothing') || '; the other evidence '
           || coalesce(o.other_assets, 'nothing') || ')'
FROM overlap o
WHERE o.file_only + o.others_only + o.differ > o.both_
  AND ((o.file_only > 0 AND o.others_only > 0) OR o.differ > 0)
