-- report_incident_traces: the traces an incident report uses: of several runs from the same seeds and
-- direction, the latest, the haircut model preferred (it conserves amounts, so totals add up).
-- Grain: one row per trace run.
-- Params: none.
SELECT trace_id, created_at, model, direction, hops, seeds
FROM (SELECT trace_id, created_at, model, direction, hops, seeds,
             row_number() OVER (PARTITION BY seeds, direction
                                ORDER BY CASE WHEN model = 'haircut' THEN 0 ELSE 1 END, created_at DESC) AS rn
      FROM trace_runs) ranked
WHERE rn = 1
ORDER BY created_at, trace_id
