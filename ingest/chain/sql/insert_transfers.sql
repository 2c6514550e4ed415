-- Adds the staged transfers (view staged_transfers) that are not stored yet.
-- Grain: one row per transfer; natural key (chain_id, block_number, tx_hash, kind, log_index, trace_address),
-- so pulling or importing the same transfer twice stores it once.
-- Hex text (hashes, addresses) is stored lower-case.
-- Params: $chain_id, $endpoint, $run_id, $lo, $hi (block range of the staged rows, to prune the check).
INSERT INTO transfers
WITH s AS (
    SELECT block_number, lower(block_hash) AS block_hash, block_time, lower(tx_hash) AS tx_hash, log_index,
           trace_address, kind, lower(token) AS token, lower(from_address) AS from_address,
           lower(to_address) AS to_address, value, evidence_sha256, source_row
    FROM staged_transfers
)
SELECT $chain_id, s.block_number, s.block_hash, to_timestamp(s.block_time), s.tx_hash, s.log_index,
       s.trace_address, s.kind, s.token, s.from_address, s.to_address, s.value,
       TRY_CAST(s.value AS UHUGEINT), $endpoint, s.evidence_sha256, s.source_row, $run_id
FROM s
WHERE NOT EXISTS (
    SELECT 1
    FROM transfers AS t
    WHERE t.chain_id = $chain_id
      AND t.block_number BETWEEN $lo AND $hi
      AND t.block_number = s.block_number
      AND t.tx_hash = s.tx_hash
      AND t.kind = s.kind
      AND coalesce(t.log_index, -1) = coalesce(s.log_index, -1)
      AND coalesce(t.trace_address, '') = coalesce(s.trace_address, '')
)
