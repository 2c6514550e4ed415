-- trace/cash_out_points: where one trace run's funds left the chain's anonymous part (labelled
-- exchanges, bridges, mixers): how much, when and along how many paths. The list to subpoena; the
-- fund-flow page, the claim report and the bundles all read it.
-- Grain: one row per (address, token) cash-out point of the trace, the largest tainted amount first.
-- Columns: trace_id, address, entity, category, token, symbol and decimals (token_metadata; NULL when
--   not pulled), tainted_amount (raw token units; 6 decimals of a unit for haircut shares), first_utc,
--   last_utc, path_count.
-- Params: $trace_id.
SELECT p.trace_id, p.address, p.entity, p.category, p.token, m.symbol, m.decimals, p.tainted_amount,
       p.first_utc, p.last_utc, p.path_count
FROM trace_cash_out_points p
LEFT JOIN (SELECT token, min(symbol) AS symbol, min(decimals) AS decimals
           FROM token_metadata GROUP BY token) m ON m.token = p.token
WHERE p.trace_id = $trace_id
ORDER BY p.tainted_amount DESC, p.address, p.token
