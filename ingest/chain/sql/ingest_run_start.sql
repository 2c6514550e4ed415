-- Opens the ingest_runs row of a chain pull or import. Grain: one row per run.
-- Params: $run_id, $started_at, $actor, $evidence_sha256, $source_name, $format.
INSERT INTO ingest_runs (run_id, started_at, actor, evidence_sha256, source_name, format, status)
VALUES ($run_id, $started_at, $actor, $evidence_sha256, $source_name, $format, 'running')
ON CONFLICT (run_id) DO NOTHING
