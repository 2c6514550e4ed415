-- What it answers: where the traced funds left the chain's anonymous part (exchanges, bridges, mixers).
-- Grain: one row per cash-out point of the trace.
-- Columns: address, entity, category, token, tainted_amount, first_utc, last_utc, path_count.
-- Parameters: $trace_id.
SELECT address, entity, category, token, tainted_amount, first_utc, last_utc, path_count
FROM trace_cash_out_points
WHERE trace_id = $trace_id
ORDER BY tainted_amount DESC, address
