-- What it answers: the traces `keytrace trace` has run, newest first.
-- Grain: one row per trace run.
-- Columns: trace_id, created_at, model, direction, hops, seeds (JSON list), edges, cash_out_points.
-- Parameters: none.
SELECT trace_id, created_at, model, direction, hops, seeds, edges, cash_out_points
FROM trace_runs
ORDER BY created_at DESC, trace_id
