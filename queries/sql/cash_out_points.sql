-- cash_out_points: where did the traced money leave the chain's anonymous part (labelled exchanges,
-- bridges, mixers), how much of it, when, and along how many paths? The list to subpoena.
-- Grain: one row per (address, token) of one trace; tainted_amount in raw token units (6 decimals of
-- a unit for haircut shares). Params: trace_id.
SELECT c.address, c.entity, c.category, c.token, c.tainted_amount, c.first_utc, c.last_utc, c.path_count,
       m.symbol, m.decimals
FROM trace_cash_out_points c
JOIN trace_runs r ON r.trace_id = c.trace_id
LEFT JOIN token_metadata m ON m.token = c.token
WHERE c.trace_id = $trace_id
ORDER BY c.tainted_amount DESC, c.address
