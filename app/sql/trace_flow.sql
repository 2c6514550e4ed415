-- What it answers: the fund-flow graph of one trace, with transfers between the same two addresses in
--   the same token merged into one edge.
-- Grain: one row per (from_address, to_address, token).
-- Columns: from_address, to_address, token, transfers, tainted (sum, raw token units), first_hop,
--   origin_is_seed, symbol, decimals (from token_metadata, as the reports read them; NULL when not pulled).
-- Parameters: $trace_id, $limit (largest edges first).
WITH e AS (
    SELECT from_address, to_address, token, count(*) AS transfers, sum(tainted) AS tainted,
           min(hop) AS first_hop, bool_or(origin_is_seed) AS origin_is_seed
    FROM trace_edges
    WHERE trace_id = $trace_id
    GROUP BY from_address, to_address, token
)
SELECT e.*, m.symbol, m.decimals
FROM e
LEFT JOIN (SELECT token, min(symbol) AS symbol, min(decimals) AS decimals
           FROM token_metadata GROUP BY token) m ON m.token = e.token
ORDER BY e.tainted DESC, e.from_address, e.to_address
LIMIT $limit
