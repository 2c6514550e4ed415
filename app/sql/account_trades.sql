-- What it answers: an account's trades over time, each with its reference price and whether detection
--   judged it unauthorised (for the account view's chart).
-- Grain: one row per trade of the account (at most $limit, most recent first).
-- Columns: time_utc, pair, side, price, quantity, quote_quantity, reference_price, deviation, score,
--   reasons, unauthorized, evidence_sha256, source_row.
-- Parameters: $exchange, $account, $limit.
SELECT t.time_utc, t.pair, t.side, t.price, t.quantity, t.quote_quantity,
       s.reference_price, s.deviation, s.score, s.reasons, coalesce(s.unauthorized, false) AS unauthorized,
       t.evidence_sha256, t.source_row
FROM trades t
LEFT JOIN trade_scores s ON s.evidence_sha256 = t.evidence_sha256 AND s.source_row = t.source_row
WHERE t.exchange = $exchange AND t.account = $account
ORDER BY t.time_utc DESC, t.source_row DESC
LIMIT $limit
