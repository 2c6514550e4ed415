-- claim_disputes: what the claimant disputed about a claim's decision (the text still sealed).
-- Grain: one row per dispute, oldest first.
-- Params: $claim_id.
SELECT d.at_utc, d.text_enc
FROM claim_disputes AS d
WHERE d.claim_id = $claim_id
ORDER BY d.at_utc, d.id
