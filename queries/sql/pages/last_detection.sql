-- What it answers: when detection last ran, so a missing loss can be told apart: "no unauthorised trade
-- found" (detection ran) from "not computed yet" (it never ran).
-- Grain: one row. Columns: finished_at (NULL when detection never ran).
-- Parameters: none.
SELECT max(finished_at) AS finished_at
FROM detection_runs
