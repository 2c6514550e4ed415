-- validate_price_bars: the staged price bars that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason.
-- A format names the file's own column (_bad_column); the checks below catch what a format missed,
-- including a bar whose open time repeats an earlier row of the file. Params: none.
WITH checked AS (
    SELECT
        s.*,
        row_number() OVER (PARTITION BY s.pair, s.interval, s.open_time ORDER BY s.source_row) AS nth
    FROM staged AS s
)
SELECT
    c.source_row,
    coalesce(c._bad_column,
        CASE
            WHEN c.pair IS NULL THEN 'pair'
            WHEN c.interval IS NULL THEN 'interval'
            WHEN c.open_time IS NULL THEN 'open_time'
            WHEN c.open IS NULL OR c.high IS NULL OR c.low IS NULL OR c.close IS NULL THEN 'price'
            WHEN c.high < c.low OR c.open > c.high OR c.open < c.low OR c.close > c.high OR c.close < c.low
                THEN 'high'
            WHEN c.volume IS NULL OR c.volume < 0 THEN 'volume'
            WHEN c.nth > 1 THEN 'open_time'
        END) AS column_name,
    coalesce(c._bad_reason,
        CASE
            WHEN c.pair IS NULL THEN 'the pair is unknown'
            WHEN c.interval IS NULL THEN 'the interval is unknown'
            WHEN c.open_time IS NULL THEN 'the open time is missing or not a time'
            WHEN c.open IS NULL OR c.high IS NULL OR c.low IS NULL OR c.close IS NULL
                THEN 'a price is missing or not a number'
            WHEN c.high < c.low OR c.open > c.high OR c.open < c.low OR c.close > c.high OR c.close < c.low
                THEN 'open and close do not lie between low and high'
            WHEN c.volume IS NULL OR c.volume < 0 THEN 'the volume is missing or negative'
            ELSE 'the open time repeats an earlier bar of the file'
        END) AS reason
FROM checked AS c
WHERE c._bad_reason IS NOT NULL
   OR c.pair IS NULL OR c.interval IS NULL OR c.open_time IS NULL
   OR c.open IS NULL OR c.high IS NULL OR c.low IS NULL OR c.close IS NULL
   OR c.high < c.low OR c.open > c.high OR c.open < c.low OR c.close > c.high OR c.close < c.low
   OR c.volume IS NULL OR c.volume < 0
   OR c.nth > 1
