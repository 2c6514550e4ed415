-- finalize: the good staged rows of any kind, each numbered among identical rows of the file; the view
-- the kind's merge_<kind>.sql reads.
-- Grain: one row per good staged row (a data row may make several, each numbered on its own).
-- Columns: the staged columns (without _bad_* and stage_row) + occurrence (1..n among rows with the same
-- account and natural key, in file order; 1 unless listed in `repeats`, see repeats.sql; a kind without
-- a natural key has no repeats and ignores it). Created as a view: the merge reads it straight from the
-- staged rows.
-- Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason, stage_row),
    coalesce(r.occurrence, 1) AS occurrence
FROM staged AS s
LEFT JOIN repeats AS r ON r.stage_row = s.stage_row
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
