-- leaks_find_key: in which imported leaked-key dumps does one API key appear?
-- Grain: one row per dump holding the key's fingerprint.
-- Columns: leak_id, source, leak_date, imported_at, exchange, source_row.
-- Params: $fingerprint (core.fingerprint.api_key_fingerprint of the exchange and key).
SELECT
    l.leak_id,
    l.source,
    l.leak_date,
    l.imported_at,
    k.exchange,
    k.source_row
FROM leaked_keys AS k
JOIN leaks AS l ON l.leak_id = k.leak_id
WHERE k.fingerprint = $fingerprint
ORDER BY l.imported_at, l.leak_id
