-- Removes the pulled transfers of a chain above the last block that still matches the node (reorg).
-- Grain: deletes rows. Params: $chain_id, $keep_up_to.
DELETE FROM transfers
WHERE chain_id = $chain_id AND block_number > $keep_up_to AND evidence_sha256 IS NULL
