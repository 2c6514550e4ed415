-- Moves the checkpoint of a pull scope and kind (in the same transaction as the rows it covers).
-- Grain: one row per (chain_id, scope, kind). Params: $chain_id, $scope, $kind, $first_block,
-- $last_block, $updated_at.
INSERT INTO chain_checkpoints (chain_id, scope, kind, last_block, updated_at, first_block)
VALUES ($chain_id, $scope, $kind, $last_block, $updated_at, $first_block)
ON CONFLICT (chain_id, scope, kind) DO UPDATE
SET last_block = excluded.last_block, updated_at = excluded.updated_at, first_block = excluded.first_block
