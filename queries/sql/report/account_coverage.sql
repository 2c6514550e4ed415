-- report_account_coverage: which periods does each kind of an account's evidence of executions cover,
-- and which periods does no evidence cover?
-- A file covers the span from its first to its last row of the account (an export says nothing about
-- its period beyond its rows; a Binance Trade History covers at most three months, so a longer history
-- takes several). Files of one kind whose spans overlap are one period. Evidence of executions is fills,
-- orders and statements (ingest_runs.evidence_kind); deposit and withdrawal histories say nothing about
-- trading and are left out. A gap is a stretch longer than $gap_hours between the periods of all kinds
-- together (shorter ones are the quiet time between two consecutive exports' rows).
-- Grain: one row per (kind, covered period), then one row per gap (kind 'none').
-- Columns: kind (fills | orders | statement | none), first_utc, last_utc, files, rows.
-- Params: $exchange, $account, $gap_hours.
WITH files AS (
    SELECT DISTINCT evidence_sha256, evidence_kind AS kind
    FROM ingest_runs
    WHERE exchange = $exchange AND evidence_kind IN ('fills', 'orders', 'statement')
),
rows_of AS (
    SELECT evidence_sha256, time_utc AS t FROM trades WHERE exchange = $exchange AND account = $account
    UNION ALL
    SELECT evidence_sha256, coalesce(updated_utc, created_utc) FROM orders
    WHERE exchange = $exchange AND account = $account
    UNION ALL
    SELECT evidence_sha256, time_utc FROM ledger_movements WHERE exchange = $exchange AND account = $account
),
spans AS (
    SELECT f.kind, f.evidence_sha256, min(r.t) AS first_utc, max(r.t) AS last_utc, count(*) AS n
    FROM files AS f
    JOIN rows_of AS r ON r.evidence_sha256 = f.evidence_sha256
    GROUP BY f.kind, f.evidence_sha256
),
kind_islands AS (
    SELECT s.*, sum(CASE WHEN s.first_utc > s.reach THEN 1 ELSE 0 END)
                    OVER (PARTITION BY s.kind ORDER BY s.first_utc, s.evidence_sha256) AS island
    FROM (SELECT sp.*, max(sp.last_utc) OVER (PARTITION BY sp.kind ORDER BY sp.first_utc, sp.evidence_sha256
                                             ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
          FROM spans AS sp) AS s
),
periods AS (
    SELECT kind, min(first_utc) AS first_utc, max(last_utc) AS last_utc, count(*) AS files, sum(n) AS n
    FROM kind_islands
    GROUP BY kind, island
),
all_periods AS (
    SELECT first_utc, last_utc,
           max(last_utc) OVER (ORDER BY first_utc, last_utc ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS reach
    FROM periods
),
gaps AS (
    SELECT reach AS first_utc, first_utc AS last_utc
    FROM all_periods
    WHERE reach IS NOT NULL AND first_utc > reach + to_hours(CAST($gap_hours AS BIGINT))
)
SELECT kind, first_utc, last_utc, files, CAST(n AS BIGINT) AS rows FROM periods
UNION ALL
SELECT 'none', first_utc, last_utc, 0, CAST(0 AS BIGINT) FROM gaps
ORDER BY kind = 'none', kind, first_utc
