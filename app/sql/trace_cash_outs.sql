-- What it answers: where the traced funds left the chain's anonymous part (exchanges, bridges, mixers).
-- Grain: one row per cash-out point of the trace.
-- Columns: address, entity, category, token, tainted_amount (raw token units), first_utc, last_utc,
--   path_count, symbol, decimals (from token_metadata, as the reports read them; NULL when not pulled).
-- Parameters: $trace_id.
SELECT p.address, p.entity, p.category, p.token, p.tainted_amount, p.first_utc, p.last_utc, p.path_count,
       m.symbol, m.decimals
FROM trace_cash_out_points p
LEFT JOIN (SELECT token, min(symbol) AS symbol, min(decimals) AS decimals
           FROM token_metadata GROUP BY token) m ON m.token = p.token
WHERE p.trace_id = $trace_id
ORDER BY p.tainted_amount DESC, p.address
