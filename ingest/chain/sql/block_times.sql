-- Hashes and unix times of stored blocks of a chain. Grain: one row per block. Params: $chain_id, $numbers (list).
SELECT number, hash, epoch(time_utc)::BIGINT AS unix_time
FROM chain_blocks
WHERE chain_id = $chain_id AND list_contains($numbers, number)
