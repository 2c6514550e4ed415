-- How many transfers one pull or import run added, by kind. Grain: one row per kind. Params: $run_id.
SELECT kind, count(*) AS added
FROM transfers
WHERE ingest_run_id = $run_id
GROUP BY kind
ORDER BY kind
