-- The range of blocks fully stored for one pull scope and transfer kind.
-- Grain: at most one row. Params: $chain_id, $scope, $kind.
SELECT first_block, last_block
FROM chain_checkpoints
WHERE chain_id = $chain_id AND scope = $scope AND kind = $kind
