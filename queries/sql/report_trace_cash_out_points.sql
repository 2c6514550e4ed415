-- report_trace_cash_out_points: where one trace run's funds reached a labelled exchange, bridge or
-- mixer: the entity that could be asked for records. tainted_amount is in raw token units.
-- Grain: one row per (address, token) cash-out point.
-- Params: $trace_id.
SELECT p.trace_id, p.address, p.entity, p.category, p.token, m.symbol, m.decimals, p.tainted_amount,
       p.first_utc, p.last_utc, p.path_count
FROM trace_cash_out_points p
LEFT JOIN (SELECT token, min(symbol) AS symbol, min(decimals) AS decimals
           FROM token_metadata GROUP BY token) m ON m.token = p.token
WHERE p.trace_id = $trace_id
ORDER BY p.entity, p.tainted_amount DESC, p.address
