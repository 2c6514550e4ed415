-- formula_cells: data rows holding a cell that a spreadsheet would run as a formula (=, +, @, tab, CR,
-- or - followed by a non-number), e.g. =cmd|' /C calc'!A0. keytrace stores such text inert and flags it.
-- Grain: one row per flagged data row (first 100). Columns: source_row, raw_line. Params: none.
WITH lines AS (
    SELECT
        r.source_row,
        list_transform([*COLUMNS(r.* EXCLUDE (source_row))], lambda x: coalesce(x, '')) AS cells
    FROM raw AS r
)
SELECT
    l.source_row,
    array_to_string(l.cells, ',') AS raw_line
FROM lines AS l
WHERE list_bool_or(list_transform(l.cells, lambda c: regexp_matches(c, '^([=+@\t\r]|-[^0-9.])')))
ORDER BY l.source_row
LIMIT 100
