-- Adds a committed batch to the counts of a run. Grain: one row. Params: $run_id, $rows_read,
-- $rows_added, $finished_at, $status.
UPDATE ingest_runs
SET rows_read = rows_read + $rows_read, rows_added = rows_added + $rows_added,
    finished_at = $finished_at, status = $status
WHERE run_id = $run_id
