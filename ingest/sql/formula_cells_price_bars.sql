-- formula_cells_price_bars: staged price_bars rows whose text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number). keytrace stores such text inert and flags it. Numbers cannot carry one.
-- Grain: one row per flagged data row (first 100, file order). Columns: source_row, column_name, value.
-- Params: none.
WITH flagged AS (
    SELECT
        s.source_row,
        CASE
            WHEN kt_formula(s.pair) THEN 'pair'
            WHEN kt_formula(s.interval) THEN 'interval'
        END AS column_name,
        CASE
            WHEN kt_formula(s.pair) THEN s.pair
            WHEN kt_formula(s.interval) THEN s.interval
        END AS value
    FROM staged AS s
)
SELECT
    f.source_row,
    f.column_name,
    f.value
FROM flagged AS f
WHERE f.column_name IS NOT NULL
ORDER BY f.source_row
LIMIT 100
