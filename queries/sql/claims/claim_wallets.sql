-- claim_wallets: the wallets the claimant proved by signature for a claim.
-- Grain: one row per proven address, in the order they were proven.
-- Params: $claim_id.
SELECT w.address, w.verified_at
FROM wallet_proofs AS w
WHERE w.claim_id = $claim_id
ORDER BY w.verified_at
