-- trace_flow_graph: the flow graph of one trace for the app and reports: who sent tainted money to whom.
-- Grain: one row per (from_address, to_address, token), summing that trace's tainted edges; hop is the
-- smallest hop at which the pair carried taint. Params: trace_id.
SELECT e.from_address, e.to_address, e.token, min(e.hop) AS hop, count(*) AS transfers,
       sum(e.tainted) AS tainted, min(e.time_utc) AS first_utc, max(e.time_utc) AS last_utc,
       fl.entity AS from_entity, tl.entity AS to_entity
FROM trace_edges e
LEFT JOIN (SELECT lower(address) AS address, max(entity) AS entity FROM address_labels GROUP BY lower(address)) fl
       ON fl.address = e.from_address
LEFT JOIN (SELECT lower(address) AS address, max(entity) AS entity FROM address_labels GROUP BY lower(address)) tl
       ON tl.address = e.to_address
WHERE e.trace_id = $trace_id
GROUP BY e.from_address, e.to_address, e.token, fl.entity, tl.entity
ORDER BY hop, tainted DESC, e.from_address, e.to_address
