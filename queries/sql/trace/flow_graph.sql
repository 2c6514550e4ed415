-- trace/flow_graph: the fund-flow graph of one trace, for the fund-flow page and the reports: who sent
-- tainted money to whom, with the transfers between the same two addresses in the same token merged.
-- Grain: one row per (from_address, to_address, token) of the trace, the largest tainted sums first.
-- Columns: from_address, to_address, token, transfers, tainted (sum, raw token units), first_hop (the
--   smallest hop at which the pair carried taint), origin_is_seed, first_utc, last_utc, from_entity and
--   to_entity (address_labels), symbol and decimals (token_metadata; NULL when not pulled).
-- Params: $trace_id, $limit (how many edges, largest first).
WITH e AS (
    SELECT from_address, to_address, token, count(*) AS transfers, sum(tainted) AS tainted,
           min(hop) AS first_hop, bool_or(origin_is_seed) AS origin_is_seed,
           min(time_utc) AS first_utc, max(time_utc) AS last_utc
    FROM trace_edges
    WHERE trace_id = $trace_id
    GROUP BY from_address, to_address, token
),
labels AS (
    SELECT lower(address) AS address, max(entity) AS entity FROM address_labels GROUP BY lower(address)
),
meta AS (
    SELECT token, min(symbol) AS symbol, min(decimals) AS decimals FROM token_metadata GROUP BY token
)
SELECT e.*, fl.entity AS from_entity, tl.entity AS to_entity, m.symbol, m.decimals
FROM e
LEFT JOIN labels fl ON fl.address = e.from_address
LEFT JOIN labels tl ON tl.address = e.to_address
LEFT JOIN meta m ON m.token = e.token
ORDER BY e.tainted DESC, e.from_address, e.to_address, e.token
LIMIT $limit
