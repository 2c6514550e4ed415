-- The counterparties of a set of addresses in a block range: every other address that sent to or
-- received from one of them (for --follow hop expansion). The zero address (mints, burns) is left out.
-- Grain: one row per address, the most active first. Params: $chain_id, $addresses (list), $lo, $hi.
WITH touching AS (
    SELECT CASE WHEN list_contains($addresses, from_address) THEN to_address ELSE from_address END AS other
    FROM transfers
    WHERE chain_id = $chain_id
      AND block_number BETWEEN $lo AND $hi
      AND (list_contains($addresses, from_address) OR list_contains($addresses, to_address))
)
SELECT other AS address, count(*) AS transfers
FROM touching
WHERE NOT list_contains($addresses, other)
  AND other <> '0x0000000000000000000000000000000000000000'
GROUP BY other
ORDER BY transfers DESC, address
