-- Forgets checkpoints of a chain whose whole range lies above the last matching block (reorg).
-- Grain: deletes rows. Params: $chain_id, $keep_up_to.
DELETE FROM chain_checkpoints
WHERE chain_id = $chain_id AND coalesce(first_block, 0) > $keep_up_to
