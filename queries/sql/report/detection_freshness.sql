-- detection_freshness: are the findings current? When did detection last run, on how many executions,
-- and how much evidence came in after it started?
-- Grain: one row (NULLs in the run's columns when detection never ran).
-- Columns: finished_at, executions_scored (the executions the last run scored), executions_now,
--   files_since (ingest runs that added rows after the last run started, plus leak imports),
--   rows_since (rows they added), stale (detection never ran while executions exist, evidence was
--   added since it started, or the count of executions differs from the count it scored).
-- Params: none.
WITH last AS (
    SELECT started_at, finished_at, trades_scored
    FROM detection_runs
    ORDER BY finished_at DESC
    LIMIT 1
),
one AS (SELECT 1 AS k),
since AS (
    SELECT count(*) AS files, coalesce(sum(r.rows_added), 0) AS n
    FROM ingest_runs AS r
    WHERE r.rows_added > 0
      AND r.finished_at > coalesce((SELECT l.started_at FROM last AS l), TIMESTAMPTZ '1970-01-01 00:00:00+00')
),
leaks_since AS (
    SELECT count(*) AS files, coalesce(sum(key_count), 0) AS n
    FROM leaks
    WHERE imported_at > coalesce((SELECT l.started_at FROM last AS l), TIMESTAMPTZ '1970-01-01 00:00:00+00')
),
now_count AS (SELECT count(*) AS n FROM executions)
SELECT l.finished_at,
       l.trades_scored AS executions_scored,
       c.n AS executions_now,
       s.files + k.files AS files_since,
       CAST(s.n + k.n AS BIGINT) AS rows_since,
       (l.finished_at IS NULL AND c.n > 0) OR (l.finished_at IS NOT NULL
           AND (s.files + k.files > 0 OR c.n <> l.trades_scored)) AS stale
FROM one
LEFT JOIN last AS l ON TRUE
CROSS JOIN since AS s
CROSS JOIN leaks_since AS k
CROSS JOIN now_count AS c
