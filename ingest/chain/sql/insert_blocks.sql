-- Records the staged blocks (view staged_blocks: number, hash, parent_hash, block_time) of a chain.
-- Grain: one row per (chain_id, number). A block already stored keeps its row (a changed hash is a
-- reorg, which ingest.chain.reorg repairs before anything is added).
-- Params: $chain_id, $endpoint, $pulled_at.
INSERT INTO chain_blocks
SELECT $chain_id, s.number, s.hash, s.parent_hash, to_timestamp(s.block_time), $endpoint, $pulled_at
FROM staged_blocks AS s
ON CONFLICT (chain_id, number) DO NOTHING
