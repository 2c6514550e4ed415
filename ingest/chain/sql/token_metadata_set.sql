-- Stores what a token contract says about itself. Grain: one row per (chain_id, token).
-- Params: $chain_id, $token, $symbol, $name, $decimals, $note.
INSERT INTO token_metadata (chain_id, token, symbol, name, decimals, note)
VALUES ($chain_id, $token, $symbol, $name, $decimals, $note)
ON CONFLICT (chain_id, token) DO UPDATE
SET symbol = excluded.symbol, name = excluded.name, decimals = excluded.decimals, note = excluded.note
