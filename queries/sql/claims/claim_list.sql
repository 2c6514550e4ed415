-- claim_list: the claims a viewer may see, filtered as the review queue and `keytrace claims list` ask,
-- without personal data: id, exchange, account, status, loss, assignee, dates and what is attached.
-- Grain: one row per claim, by claim id.
-- Params: $owner_id (a victim's user id: only their own claims; NULL for staff); $status, $exchange,
-- $assigned_to (NULL: any); $unassigned (true: only claims nobody is assigned); $search (NULL: any;
-- else a claim id or part of the account).
SELECT
    c.id, c.exchange, c.account, c.status, c.claimed_loss_usd, c.key_fingerprint,
    u.username AS assigned_to, c.created_at, c.updated_at,
    (SELECT count(*) FROM claim_evidence AS ce WHERE ce.claim_id = c.id AND ce.state <> 'withdrawn') AS uploads,
    (SELECT count(*) FROM claim_evidence AS ce WHERE ce.claim_id = c.id AND ce.state = 'quarantined') AS held,
    (SELECT count(*) FROM wallet_proofs AS w WHERE w.claim_id = c.id) AS wallets,
    (SELECT count(*) FROM claim_disputes AS d WHERE d.claim_id = c.id) AS disputes
FROM claims AS c
LEFT JOIN users AS u ON u.id = c.assigned_to
WHERE ($owner_id IS NULL OR c.user_id = $owner_id)
  AND ($status IS NULL OR c.status = $status)
  AND ($exchange IS NULL OR c.exchange = $exchange)
  AND ($assigned_to IS NULL OR c.assigned_to = $assigned_to)
  AND (NOT $unassigned OR c.assigned_to IS NULL)
  AND ($search IS NULL OR c.account ILIKE '%' || $search || '%' OR CAST(c.id AS VARCHAR) = $search)
ORDER BY c.id
