-- The canonical transfers, for `keytrace export transfers` (columns fixed in ARCHITECTURE.md).
-- Grain: one row per stored transfer (ERC-20 log, native or internal transfer), in chain order.
-- Params: none. `value` is the exact raw integer; `log_index` is NULL (empty) for native transfers.
SELECT chain_id,
       block_number,
       kt_iso_utc(time_utc) AS time_utc,
       tx_hash,
       log_index,
       token,
       from_address AS "from",
       to_address AS "to",
       value
FROM transfers
ORDER BY chain_id, block_number, tx_hash, log_index NULLS FIRST, trace_address NULLS FIRST
