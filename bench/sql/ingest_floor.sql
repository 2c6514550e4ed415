-- ingest_floor: the least any exact ingest of a Binance Spot Trade History must do, as one statement.
-- Answers: how fast can DuckDB turn this file into typed, exact trades at all? bench/ingest.py prints it
-- between plain read_csv (which stores text) and keytrace (which also validates every row, keeps
-- provenance, numbers identical fills, deduplicates against the case and seals the evidence).
-- Grain: one row per data line of the file, into a 9-column table (time, assets, side, four amounts,
-- fee asset). Strict: CAST, not TRY_CAST, no trimming or upper-casing, no error messages; it is only
-- meant for the generated bench file, which has no bad rows.
-- Params: $path, $skip (lines before the first data line), $time_format, $offset_minutes (the header's
--         zone), $quotes_5, $quotes_4, $quotes_3 (the listed quote assets by length).
WITH raw AS (
    SELECT *
    FROM read_csv(
        $path,
        header = false,
        skip = $skip,
        delim = ',',
        quote = '"',
        escape = '"',
        auto_detect = false,
        compression = 'none',
        columns = {'date': 'VARCHAR', 'pair': 'VARCHAR', 'side': 'VARCHAR', 'price': 'VARCHAR',
                   'executed': 'VARCHAR', 'amount': 'VARCHAR', 'fee': 'VARCHAR'}
    )
),
split AS (
    SELECT
        r.*,
        CASE WHEN list_contains($quotes_5, right(r.pair, 5)) THEN right(r.pair, 5)
             WHEN list_contains($quotes_4, right(r.pair, 4)) THEN right(r.pair, 4)
             WHEN list_contains($quotes_3, right(r.pair, 3)) THEN right(r.pair, 3)
        END AS quote_asset,
        replace(r.amount, ',', '') AS amount_text
    FROM raw AS r
),
assets AS (
    SELECT
        s.*,
        left(s.pair, length(s.pair) - length(s.quote_asset)) AS base_asset
    FROM split AS s
),
fees AS (
    SELECT
        a.*,
        CASE WHEN ends_with(a.fee, a.base_asset) THEN a.base_asset
             WHEN ends_with(a.fee, a.quote_asset) THEN a.quote_asset
             ELSE regexp_extract(a.fee, '([A-Z][A-Z0-9]*)$', 1)
        END AS fee_asset
    FROM assets AS a
)
SELECT
    CAST(strptime(f.date, $time_format) - to_minutes(CAST($offset_minutes AS BIGINT)) AS TIMESTAMPTZ) AS time_utc,
    f.base_asset,
    f.quote_asset,
    lower(f.side) AS side,
    CAST(replace(f.price, ',', '') AS DECIMAL(38, 18)) AS price,
    CAST(left(f.executed, length(f.executed) - length(f.base_asset)) AS DECIMAL(38, 18)) AS quantity,
    CAST(left(f.amount_text, length(f.amount_text) - length(f.quote_asset)) AS DECIMAL(38, 18)) AS quote_quantity,
    CAST(left(f.fee, length(f.fee) - length(f.fee_asset)) AS DECIMAL(38, 18)) AS fee,
    f.fee_asset
FROM fees AS f
