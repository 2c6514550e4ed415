-- formula_cells_api_keys: staged api_keys rows whose text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number). keytrace stores such text inert and flags it. Numbers cannot carry one.
-- Grain: one row per flagged data row (first 100, file order). Columns: source_row, column_name, value.
-- Params: none.
WITH flagged AS (
    SELECT
        s.source_row,
        CASE
            WHEN kt_formula(s.account) THEN 'account'
            WHEN kt_formula(s.permissions) THEN 'permissions'
        END AS column_name,
        CASE
            WHEN kt_formula(s.account) THEN s.account
            WHEN kt_formula(s.permissions) THEN s.permissions
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
