-- finalize_api_keys: the good staged API-key records (fingerprints only).
-- Grain: one row per good data row. Columns: the staged columns without _bad_*. Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason, stage_row)
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
