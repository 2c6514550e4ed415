-- validate_bot_orders: the staged bot-platform orders that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason. Params: none.
SELECT
    s.source_row,
    coalesce(s._bad_column,
        CASE
            WHEN s.deal_id IS NULL THEN 'deal_id'
            WHEN s.time_utc IS NULL THEN 'time_utc'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'pair'
            WHEN s.side IS NULL OR s.side NOT IN ('buy', 'sell') THEN 'side'
            WHEN s.quantity IS NOT NULL AND s.quantity < 0 THEN 'quantity'
            WHEN s.price IS NOT NULL AND s.price < 0 THEN 'price'
        END) AS column_name,
    coalesce(s._bad_reason,
        CASE
            WHEN s.deal_id IS NULL THEN 'the deal id is missing'
            WHEN s.time_utc IS NULL THEN 'the time is missing or not a date'
            WHEN s.base_asset IS NULL OR s.quote_asset IS NULL THEN 'the pair is missing'
            WHEN s.side IS NULL OR s.side NOT IN ('buy', 'sell') THEN 'the side is neither buy nor sell'
            WHEN s.quantity IS NOT NULL AND s.quantity < 0 THEN 'the quantity is negative'
            ELSE 'the price is negative'
        END) AS reason
FROM staged AS s
WHERE s._bad_reason IS NOT NULL
   OR s.deal_id IS NULL OR s.time_utc IS NULL
   OR s.base_asset IS NULL OR s.quote_asset IS NULL
   OR s.side IS NULL OR s.side NOT IN ('buy', 'sell')
   OR (s.quantity IS NOT NULL AND s.quantity < 0)
   OR (s.price IS NOT NULL AND s.price < 0)
