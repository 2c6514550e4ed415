-- audit haircut_not_conserved: places where a haircut or FIFO trace created taint out of nothing.
-- Returns rows that must not exist: an edge carrying more taint than its value (any model), or a
-- non-seed address whose tainted outflow exceeds its tainted inflow (per trace and token), hop by hop:
-- taint that leaves an address at hop h+1 must have entered it at hop h or before. Poison taint is not
-- conserved by design (a poisoned address taints everything it sends) and is not checked for that.
-- "Upstream" is the side taint comes from: from_address when tracing forward, to_address backward.
-- Grain: one row per offending (trace_id, address, token) or edge. Params: none.
WITH e AS (
    SELECT t.trace_id, t.token, t.tainted, t.value, t.origin_is_seed,
           CASE WHEN r.direction = 'forward' THEN t.from_address ELSE t.to_address END AS upstream,
           CASE WHEN r.direction = 'forward' THEN t.to_address ELSE t.from_address END AS downstream,
           r.model
    FROM trace_edges t
    JOIN trace_runs r ON r.trace_id = t.trace_id
),
outflow AS (
    SELECT trace_id, upstream AS address, token, sum(tainted) AS tainted_out
    FROM e
    WHERE NOT origin_is_seed AND model IN ('haircut', 'fifo')
    GROUP BY trace_id, upstream, token
),
inflow AS (
    SELECT trace_id, downstream AS address, token, sum(tainted) AS tainted_in
    FROM e
    GROUP BY trace_id, downstream, token
)
SELECT o.trace_id, o.address, o.token, o.tainted_out AS tainted, coalesce(i.tainted_in, 0) AS limit_amount,
       'outflow above inflow' AS problem
FROM outflow o
LEFT JOIN inflow i ON i.trace_id = o.trace_id AND i.address = o.address AND i.token = o.token
WHERE o.tainted_out > coalesce(i.tainted_in, 0)
UNION ALL
SELECT trace_id, upstream, token, tainted, CAST(value AS DECIMAL(38,6)), 'edge taint above its value'
FROM e
WHERE tainted > CAST(value AS DECIMAL(38,6)) OR tainted < 0
