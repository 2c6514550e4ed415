-- What it answers: an account's trades over time, each with its reference price and whether detection
--   judged it unauthorised (for the account view's chart).
-- Grain: one row per trade of the account (at most $limit, most recent first).
-- Columns: time_utc, pair, side, price, quantity, quote_quantity, reference_price, deviation, score,
--   reasons, unauthorized, evidence_sha256, source_row.
-- Parameters: $exchange, $account, $limit.
WITH t AS (
    SELECT time_utc, pair, side, price, quantity, quote_quantity, evidence_sha256, source_row
    FROM executions
    WHERE exchange = $exchange AND account = $account
),
s AS (
    SELECT evidence_sha256, source_row, reference_price, deviation, score, reasons, unauthorized
    FROM trade_scores
    WHERE exchange = $exchange AND account = $account
)
SELECT t.time_utc, t.pair, t.side, t.price, t.quantity, t.quote_quantity,
       s.reference_price, s.deviation, s.score, s.reasons, coalesce(s.unauthorized, false) AS unauthorized,
       t.evidence_sha256, t.source_row
FROM t
LEFT JOIN s ON s.evidence_sha256 = t.evidence_sha256 AND s.source_row = t.source_row  -- both of one account
ORDER BY t.time_utc DESC, t.source_row DESC
LIMIT $limit
