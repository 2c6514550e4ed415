-- report_attacker_addresses: addresses attributed to the attackers: those labelled 'attacker' (with
-- the label's source and confidence) and the seed addresses of forward traces (the senders of their
-- hop-1 transfers) that are not labelled otherwise, with the first and last time each was seen in the ingested transfers.
-- Grain: one row per address.
-- Params: none.
WITH labelled AS (
    SELECT lower(address) AS address, min(chain_id) AS chain_id,
           'label: ' || min(entity) || ' (' || min(source) || ')' AS basis, max(confidence) AS confidence
    FROM address_labels
    WHERE category = 'attacker'
    GROUP BY lower(address)
),
seeded AS (
    SELECT DISTINCT lower(t.from_address) AS address, t.chain_id
    FROM trace_edges t
    WHERE t.hop = 1
      AND t.trace_id IN (SELECT trace_id FROM trace_runs WHERE direction = 'forward')
      AND lower(t.from_address) NOT IN (SELECT lower(address) FROM address_labels)
),
addresses AS (
    SELECT address, chain_id, basis, confidence FROM labelled
    UNION ALL
    SELECT address, min(chain_id), 'seed of a forward trace', 50 FROM seeded GROUP BY address
),
seen AS (
    SELECT address, min(time_utc) AS first_seen, max(time_utc) AS last_seen
    FROM (SELECT lower(from_address) AS address, time_utc FROM transfers
          UNION ALL
          SELECT lower(to_address), time_utc FROM transfers) x
    WHERE address IN (SELECT address FROM addresses)
    GROUP BY address
)
SELECT a.address, a.chain_id, a.basis, a.confidence, s.first_seen, s.last_seen
FROM addresses a
LEFT JOIN seen s ON s.address = a.address
ORDER BY a.confidence DESC, a.address
