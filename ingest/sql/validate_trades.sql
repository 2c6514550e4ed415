-- validate_trades: the staged trade rows that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason.
-- A format names the file's own column (_bad_column); the checks below catch what a format missed.
-- Params: none.
SELECT
    s.source_row,
    coalesce(s._bad_column,
        CASE
            WHEN s.time_utc IS NULL THEN 'time_utc'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'pair'
            WHEN s.side IS NULL OR s.side NOT IN ('buy', 'sell') THEN 'side'
            WHEN s.price IS NULL OR s.price < 0 THEN 'price'
            WHEN s.quantity IS NULL OR s.quantity <= 0 THEN 'quantity'
            WHEN s.quote_quantity IS NULL OR s.quote_quantity < 0 THEN 'quote_quantity'
            WHEN s.fee IS NOT NULL AND s.fee_asset IS NULL THEN 'fee_asset'
        END) AS column_name,
    coalesce(s._bad_reason,
        CASE
            WHEN s.time_utc IS NULL THEN 'the time is missing or not a date'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'the pair is missing'
            WHEN s.side IS NULL OR s.side NOT IN ('buy', 'sell') THEN 'the side is neither buy nor sell'
            WHEN s.price IS NULL OR s.price < 0 THEN 'the price is missing or negative'
            WHEN s.quantity IS NULL OR s.quantity <= 0 THEN 'the quantity is missing or not positive'
            WHEN s.quote_quantity IS NULL OR s.quote_quantity < 0 THEN 'the quote amount is missing or negative'
            WHEN s.fee IS NOT NULL AND s.fee_asset IS NULL THEN 'the fee has no asset'
        END) AS reason
FROM staged AS s
WHERE s._bad_reason IS NOT NULL
   OR s.time_utc IS NULL
   OR s.base_asset IS NULL OR s.quote_asset IS NULL
   OR s.side IS NULL OR s.side NOT IN ('buy', 'sell')
   OR s.price IS NULL OR s.price < 0
   OR s.quantity IS NULL OR s.quantity <= 0
   OR s.quote_quantity IS NULL OR s.quote_quantity < 0
   OR (s.fee IS NOT NULL AND s.fee_asset IS NULL)
