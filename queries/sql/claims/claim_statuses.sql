-- claim_statuses: a claim's status history (the reason still sealed).
-- Grain: one row per status change, oldest first.
-- Params: $claim_id.
SELECT h.at_utc, h.status, h.reason_enc, h.actor_user_id
FROM claim_status_history AS h
WHERE h.claim_id = $claim_id
ORDER BY h.at_utc, h.id
