-- finalize_price_bars: the good staged price bars.
-- Grain: one row per good data row (one bar; a bar's open time is unique in the file after validation).
-- Columns: the staged columns without _bad_*. Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason, stage_row)
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
