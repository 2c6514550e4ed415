-- claim_notes: staff's internal notes on a claim, with their authors (the text still sealed). Never read
-- for a victim: app/claims.py asks it only for roles that may read notes.
-- Grain: one row per note, oldest first.
-- Params: $claim_id.
SELECT n.at_utc, u.username, n.note_enc
FROM claim_notes AS n
LEFT JOIN users AS u ON u.id = n.author_user_id
WHERE n.claim_id = $claim_id
ORDER BY n.at_utc, n.id
