-- Removes the pulled blocks of a chain above the last block that still matches the node (reorg).
-- Grain: deletes rows. Params: $chain_id, $keep_up_to.
DELETE FROM chain_blocks
WHERE chain_id = $chain_id AND number > $keep_up_to AND endpoint NOT LIKE 'file:%'
