-- claim: one claim as its workflow reads it (sealed personal data still sealed), with its assignee's name.
-- Grain: one row, or none when there is no such claim or the viewer may not see it.
-- Params: $claim_id; $owner_id (the victim's user id: only their own claims; NULL for staff, who see all).
SELECT c.*, u.username AS assigned_username
FROM claims AS c
LEFT JOIN users AS u ON u.id = c.assigned_to
WHERE c.id = $claim_id
  AND ($owner_id IS NULL OR c.user_id = $owner_id)
