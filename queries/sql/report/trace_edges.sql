-- report_trace_edges: the flow graph of one trace run with each token's symbol and decimals.
-- Amounts (value, tainted) are raw token units.
-- Grain: one row per traced transfer.
-- Params: $trace_id.
SELECT e.trace_id, e.hop, e.chain_id, e.tx_hash, e.token, m.symbol, m.decimals, e.from_address,
       e.to_address, e.time_utc, e.block_number, e.value, e.tainted
FROM trace_edges e
LEFT JOIN token_metadata m ON m.chain_id = e.chain_id AND m.token = e.token
WHERE e.trace_id = $trace_id
ORDER BY e.hop, e.time_utc, e.tx_hash
