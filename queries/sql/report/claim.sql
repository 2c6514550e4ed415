-- report_claim: the claim a claim report is about, with its claimant's login name.
-- Personal fields stay sealed here (BLOBs); reports/bundle.py opens only what the viewer's role may see.
-- Grain: one row (or none when the claim does not exist).
-- Params: $claim_id (BIGINT).
SELECT c.id AS claim_id, c.case_id, c.user_id, u.username, c.exchange, c.account, c.key_fingerprint,
       c.status, c.claimed_loss_usd, c.created_at, c.updated_at,
       c.contact_name_enc, c.contact_email_enc, c.contact_phone_enc
FROM claims c
LEFT JOIN users u ON u.id = c.user_id
WHERE c.id = $claim_id
