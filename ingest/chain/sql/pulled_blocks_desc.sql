-- Blocks of a chain recorded by RPC pulls (not file imports), newest first, for the reorg check.
-- Grain: one row per block. Params: $chain_id, $below (exclusive upper bound), $limit.
SELECT number, hash
FROM chain_blocks
WHERE chain_id = $chain_id AND number < $below AND endpoint NOT LIKE 'file:%'
ORDER BY number DESC
LIMIT $limit
