-- claim_filed_moments_ago: the same claim the same victim filed within the duplicate window (a double
-- click or a resent form), asked inside the write lock before a claim is filed.
-- Grain: one row: the newest such claim's id, NULL when there is none.
-- Params: $user_id, $exchange, $account, $key_fingerprint, $claimed_loss_usd, $since.
SELECT max(c.id) AS claim_id
FROM claims AS c
WHERE c.user_id = $user_id
  AND c.exchange = $exchange
  AND c.account = $account
  AND c.key_fingerprint IS NOT DISTINCT FROM $key_fingerprint
  AND c.claimed_loss_usd IS NOT DISTINCT FROM $claimed_loss_usd
  AND c.created_at >= $since
