-- insert_rejects: keep the rows validation refused (with --skip-bad-rows) where an investigator can read them.
-- Grain: one ingest_rejects row per bad data row of the staged file.
-- Params: $run_id, $sha.
INSERT INTO ingest_rejects (ingest_run_id, evidence_sha256, source_row, column_name, reason, raw_line)
SELECT
    $run_id,
    $sha,
    p.source_row,
    p.column_name,
    p.reason,
    r.raw_line
FROM stage.problems AS p
LEFT JOIN stage.rejects AS r ON r.source_row = p.source_row
ORDER BY p.source_row
