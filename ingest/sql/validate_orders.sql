-- validate_orders: the staged order rows that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason.
-- A format names the file's own column (_bad_column); the checks below catch what a format missed.
-- Params: none.
SELECT
    s.source_row,
    coalesce(s._bad_column,
        CASE
            WHEN s.created_utc IS NULL THEN 'created_utc'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'pair'
            WHEN s.side IS NULL OR s.side NOT IN ('buy', 'sell') THEN 'side'
        END) AS column_name,
    coalesce(s._bad_reason,
        CASE
            WHEN s.created_utc IS NULL THEN 'the order time is missing or not a date'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'the pair is missing'
            ELSE 'the side is neither buy nor sell'
        END) AS reason
FROM staged AS s
WHERE s._bad_reason IS NOT NULL
   OR s.created_utc IS NULL
   OR s.base_asset IS NULL OR s.quote_asset IS NULL
   OR s.side IS NULL OR s.side NOT IN ('buy', 'sell')
