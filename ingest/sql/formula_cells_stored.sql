-- formula_cells_stored: staged rows whose stored text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number), e.g. =cmd|' /C calc'!A0. keytrace stores such text inert and flags it;
-- `keytrace export` neutralises it. Numbers cannot carry one: a formula there fails validation.
-- Grain: one row per flagged data row (first 100, file order), naming the first flagged column in table
-- order. Columns: source_row, column_name, value.
-- Params: $text_columns (the text columns the kind's table stores, in table order; ingest/load.py).
WITH cells AS (
    UNPIVOT (SELECT s.source_row, COLUMNS(lambda c: list_contains($text_columns, c)) FROM staged AS s)
    ON COLUMNS(* EXCLUDE (source_row))
    INTO NAME column_name VALUE value
)
SELECT
    c.source_row,
    arg_min(c.column_name, list_position($text_columns, c.column_name)) AS column_name,
    arg_min(c.value, list_position($text_columns, c.column_name)) AS value
FROM cells AS c
WHERE kt_formula(c.value)
GROUP BY c.source_row
ORDER BY c.source_row
LIMIT 100
