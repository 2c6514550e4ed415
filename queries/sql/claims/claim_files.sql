-- claim_files: the evidence files attached to a claim, as its claimant named them, with their state.
-- Grain: one row per attached file, oldest first.
-- Params: $claim_id.
SELECT
    e.sha256,
    coalesce(ce.original_name, e.original_name) AS original_name,
    e.size_bytes,
    ce.attached_at,
    coalesce(ce.state, 'accepted') AS state
FROM claim_evidence AS ce
JOIN evidence_files AS e ON e.sha256 = ce.evidence_sha256
WHERE ce.claim_id = $claim_id
ORDER BY ce.attached_at
