-- Moves every checkpoint of a chain back to the last block that still matches the node (reorg), and
-- forgets checkpoints that started above it. Grain: updates/deletes rows. Params: $chain_id, $keep_up_to.
UPDATE chain_checkpoints
SET last_block = $keep_up_to
WHERE chain_id = $chain_id AND last_block > $keep_up_to
