-- Adds the staged transfers (view staged_transfers) when the table holds no transfer of the chain in
-- their block range yet (the usual case for a first pull), so no duplicate check is needed.
-- Grain: one row per transfer. Hex text (hashes, addresses) is stored lower-case.
-- Params: $chain_id, $endpoint, $run_id.
INSERT INTO transfers
SELECT $chain_id, s.block_number, lower(s.block_hash), to_timestamp(s.block_time), lower(s.tx_hash), s.log_index,
       s.trace_address, s.kind, lower(s.token), lower(s.from_address), lower(s.to_address), s.value,
       TRY_CAST(s.value AS UHUGEINT), $endpoint, s.evidence_sha256, s.source_row, $run_id
FROM staged_transfers AS s
