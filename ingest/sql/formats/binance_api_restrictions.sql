-- binance_api_restrictions: a Binance apiRestrictions record (converted by ingest.convert to
-- binance_api_restrictions,ipRestrict,createTime,permissions) as one canonical api_keys row.
-- Grain: one row per record. Columns: source_row, account (NULL), fingerprint, created_utc, permissions (JSON of
--        the enable*/permits* flags), ip_restricted, _bad_column, _bad_reason.
-- Params: $api_key_fingerprint (of --api-key; NULL when it was not given).
SELECT
    r.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST($api_key_fingerprint AS VARCHAR) AS fingerprint,
    CAST(make_timestamp(try_cast(trim(r.createtime) AS BIGINT) * 1000) AS TIMESTAMPTZ) AS created_utc,
    r.permissions,
    CASE lower(trim(r.iprestrict)) WHEN 'true' THEN true WHEN 'false' THEN false END AS ip_restricted,
    CASE
        WHEN $api_key_fingerprint IS NULL THEN 'api_key'
        WHEN try_cast(trim(r.createtime) AS BIGINT) IS NULL THEN 'createTime'
        WHEN lower(trim(coalesce(r.iprestrict, ''))) NOT IN ('true', 'false') THEN 'ipRestrict'
    END AS _bad_column,
    CASE
        WHEN $api_key_fingerprint IS NULL THEN 'the record does not name its API key: give the key with --api-key (only its fingerprint is kept)'
        WHEN try_cast(trim(r.createtime) AS BIGINT) IS NULL THEN 'the creation time ' || kt_quoted(r.createtime) || ' is not epoch milliseconds'
        WHEN lower(trim(coalesce(r.iprestrict, ''))) NOT IN ('true', 'false') THEN 'ipRestrict ' || kt_quoted(r.iprestrict) || ' is neither true nor false'
    END AS _bad_reason
FROM raw AS r
