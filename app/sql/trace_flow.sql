-- What it answers: the fund-flow graph of one trace, with transfers between the same two addresses in
--   the same token merged into one edge.
-- Grain: one row per (from_address, to_address, token).
-- Columns: from_address, to_address, token, transfers, tainted (sum), first_hop, origin_is_seed.
-- Parameters: $trace_id, $limit (largest edges first).
SELECT from_address, to_address, token, count(*) AS transfers, sum(tainted) AS tainted,
       min(hop) AS first_hop, bool_or(origin_is_seed) AS origin_is_seed
FROM trace_edges
WHERE trace_id = $trace_id
GROUP BY from_address, to_address, token
ORDER BY tainted DESC, from_address, to_address
LIMIT $limit
