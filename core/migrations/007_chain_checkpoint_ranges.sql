-- 007_chain_checkpoint_ranges: a checkpoint covers a contiguous range of blocks, not only its end.
-- A pull resumes at last_block + 1 when it starts inside [first_block, last_block + 1]; a pull that
-- starts before first_block fills the gap first, so no block is ever skipped.
ALTER TABLE chain_checkpoints ADD COLUMN first_block BIGINT;
