-- report_incident_cash_out_by_entity: the attackers' cash-out points grouped by the exchange or service
-- that received the funds (whom to ask for the depositing account's records), per token, over the
-- traces of report_incident_traces. tainted_amount is in raw token units.
-- Grain: one row per (entity, category, token).
-- Params: none.
WITH chosen AS (
    SELECT trace_id
    FROM (SELECT trace_id,
                 row_number() OVER (PARTITION BY seeds, direction
                                    ORDER BY CASE WHEN model = 'haircut' THEN 0 ELSE 1 END,
                                             created_at DESC) AS rn
          FROM trace_runs) ranked
    WHERE rn = 1
),
meta AS (
    SELECT token, min(symbol) AS symbol, min(decimals) AS decimals FROM token_metadata GROUP BY token
)
SELECT p.entity, p.category, p.token, m.symbol, m.decimals, count(DISTINCT p.address) AS addresses,
       sum(p.tainted_amount) AS tainted_amount, min(p.first_utc) AS first_utc, max(p.last_utc) AS last_utc,
       sum(p.path_count) AS path_count,
       string_agg(DISTINCT p.address, ' ' ORDER BY p.address) AS address_list
FROM trace_cash_out_points p
JOIN chosen c ON c.trace_id = p.trace_id
LEFT JOIN meta m ON m.token = p.token
GROUP BY p.entity, p.category, p.token, m.symbol, m.decimals
ORDER BY p.entity, p.token
