-- trace_backward_edges: which transfers entered the current frontier of a backward trace before the
-- frontier address passed the money on?
-- `frontier(address, since_utc)` is a relation the caller provides (addresses reached at this hop and
-- the latest time each passed traced money on; seeds have no upper bound).
-- Grain: one row per transfer (chain_id, tx_hash, log_index, trace_address).
-- Params: chain_id (NULL: every chain), token (NULL: every token).
SELECT t.chain_id, t.block_number, t.time_utc, t.tx_hash, t.log_index, t.trace_address, t.token,
       t.from_address, t.to_address, t.value
FROM transfers t
JOIN frontier f ON f.address = t.to_address
WHERE (f.since_utc IS NULL OR t.time_utc <= f.since_utc)
  AND ($chain_id IS NULL OR t.chain_id = $chain_id)
  AND ($token IS NULL OR t.token = $token)
  AND t.from_address <> t.to_address
