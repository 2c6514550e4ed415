-- Token contracts seen in transfers of a chain that have no metadata row yet.
-- Grain: one row per token. Params: $chain_id.
SELECT DISTINCT t.token
FROM transfers AS t
LEFT JOIN token_metadata AS m ON m.chain_id = t.chain_id AND m.token = t.token
WHERE t.chain_id = $chain_id AND t.kind = 'erc20' AND m.token IS NULL
ORDER BY t.token
