-- report_claim_ownership: the graded ownership evidence recorded for a claim (0-100, one row per reason),
-- strongest first.
-- Grain: one row per (claim, reason).
-- Params: $claim_id (BIGINT).
SELECT level, reason, evaluated_at
FROM ownership_evidence
WHERE claim_id = $claim_id
ORDER BY level DESC, reason
