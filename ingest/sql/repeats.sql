-- repeats: the staged rows that repeat an earlier identical row of the file, numbered, for every kind
-- whose rows may legitimately repeat (two fills alike to the last digit; ingest/load.py NATURAL_KEYS).
-- Grain: one row per good staged row whose natural key occurs more than once in the file.
-- Columns: stage_row (the staged row: a data row that makes several rows, such as a trade's legs, makes
-- several), occurrence (1..n in file order among identical rows; a data row's own identical rows in
-- staging order).
-- Params: $key_columns (the kind's natural key, the columns its merge_<kind>.sql matches on).
-- Identical rows are rare: a hash aggregate finds the keys that repeat and only their rows are numbered
-- (a window over every row would sort the whole file). A 64-bit hash collision between two different
-- rows (odds ~1e-19 per pair) would only renumber them, never merge them.
WITH keyed AS (
    SELECT
        s.source_row,
        s.stage_row,
        hash(*COLUMNS(lambda c: list_contains($key_columns, c))) AS row_key
    FROM staged AS s
    WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
),
repeated AS (
    SELECT k.row_key
    FROM keyed AS k
    GROUP BY k.row_key
    HAVING count(*) > 1
)
SELECT
    k.stage_row,
    row_number() OVER (PARTITION BY k.row_key ORDER BY k.source_row, k.stage_row) AS occurrence
FROM keyed AS k
WHERE k.row_key IN (SELECT r.row_key FROM repeated AS r)
