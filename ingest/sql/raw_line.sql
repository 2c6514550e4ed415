-- raw_line: the fields of the given data rows joined back with commas, for the rejects table.
-- Grain: one row per source_row listed in table `problems`.
-- Columns: source_row, raw_line. Params: none.
SELECT
    r.source_row,
    array_to_string(list_transform([*COLUMNS(r.* EXCLUDE (source_row))], lambda x: coalesce(x, '')), ',') AS raw_line
FROM raw_numbered AS r
WHERE r.source_row IN (SELECT p.source_row FROM problems AS p)
