-- validate_api_keys: the staged API-key records that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason. Params: none.
SELECT
    s.source_row,
    coalesce(s._bad_column, CASE WHEN s.fingerprint IS NULL THEN 'api_key' ELSE 'createTime' END) AS column_name,
    coalesce(s._bad_reason,
        CASE WHEN s.fingerprint IS NULL THEN 'the API key the record describes is needed: give it with --api-key'
             ELSE 'the creation time is missing' END) AS reason
FROM staged AS s
WHERE s._bad_reason IS NOT NULL OR s.fingerprint IS NULL OR s.created_utc IS NULL
