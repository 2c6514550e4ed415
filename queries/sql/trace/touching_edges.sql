-- trace_touching_edges: every transfer into or out of the addresses of a trace's frontier, whenever it
-- happened (haircut and FIFO need an address's whole history: its balance decides the tainted share).
-- `frontier(address, since_utc)` is a relation the caller provides; since_utc is not used here.
-- Grain: one row per transfer (chain_id, tx_hash, log_index, trace_address).
-- Params: chain_id (NULL: every chain), token (NULL: every token).
SELECT t.chain_id, t.block_number, t.time_utc, t.tx_hash, t.log_index, t.trace_address, t.token,
       t.from_address, t.to_address, t.value
FROM transfers t
WHERE (t.from_address IN (SELECT address FROM frontier) OR t.to_address IN (SELECT address FROM frontier))
  AND ($chain_id IS NULL OR t.chain_id = $chain_id)
  AND ($token IS NULL OR t.token = $token)
  AND t.from_address <> t.to_address
