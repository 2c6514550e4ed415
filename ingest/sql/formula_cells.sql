-- formula_cells: data rows holding a cell that a spreadsheet would run as a formula (=, +, @, tab, CR,
-- or - followed by a non-number), e.g. =cmd|' /C calc'!A0. keytrace stores such text inert and flags it.
-- Grain: one row per flagged data row (first 100). Columns: source_row, raw_line. Params: none.
-- The cells are joined with the unit separator (chr(31)) so one regular expression tests them all.
SELECT
    r.source_row,
    replace(concat_ws(chr(31), *COLUMNS(r.* EXCLUDE (source_row))), chr(31), ',') AS raw_line
FROM raw_numbered AS r
WHERE regexp_matches(concat_ws(chr(31), '', *COLUMNS(r.* EXCLUDE (source_row))), '\x1f([=+@\t\r]|-[^0-9.\x1f])')
ORDER BY r.source_row
LIMIT 100
