-- Known decimals of the tokens of a chain (to turn Etherscan's display amounts into raw integers).
-- Grain: one row per token. Params: $chain_id.
SELECT token, decimals
FROM token_metadata
WHERE chain_id = $chain_id AND decimals IS NOT NULL
