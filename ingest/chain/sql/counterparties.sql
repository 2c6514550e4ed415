-- The counterparties of a set of addresses in a block range: every other address that sent to or
-- received from one of them (for --follow hop expansion). The zero address (mints, burns) is left out.
-- A labelled address (exchange hot wallet, bridge, mixer ...; address_labels for this chain or any
-- chain) is returned with its entity, because tracing stops there instead of pulling its traffic.
-- Grain: one row per address, the most active first. Params: $chain_id, $addresses (list), $lo, $hi.
WITH touching AS (
    SELECT CASE WHEN list_contains($addresses, from_address) THEN to_address ELSE from_address END AS other
    FROM transfers
    WHERE chain_id = $chain_id
      AND block_number BETWEEN $lo AND $hi
      AND (list_contains($addresses, from_address) OR list_contains($addresses, to_address))
),
counted AS (
    SELECT other AS address, count(*) AS transfers
    FROM touching
    WHERE NOT list_contains($addresses, other)
      AND other <> '0x0000000000000000000000000000000000000000'
    GROUP BY other
)
SELECT c.address, c.transfers, min(l.entity) AS labelled_as
FROM counted AS c
LEFT JOIN address_labels AS l
       ON lower(l.address) = c.address AND (l.chain_id IS NULL OR l.chain_id = $chain_id)
GROUP BY c.address, c.transfers
ORDER BY c.transfers DESC, c.address
