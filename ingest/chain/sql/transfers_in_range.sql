-- Whether any transfer of a chain is stored in a block range (to skip the duplicate check when none is).
-- Grain: one row. Params: $chain_id, $lo, $hi.
SELECT count(*) > 0 AS any_stored
FROM (SELECT 1 FROM transfers WHERE chain_id = $chain_id AND block_number BETWEEN $lo AND $hi LIMIT 1) AS t
