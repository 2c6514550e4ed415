-- report_claim_wallet_proofs: wallet addresses the claimant proved to control by an EIP-191 signature.
-- Grain: one row per (claim, address).
-- Params: $claim_id (BIGINT).
SELECT address, verified_at
FROM wallet_proofs
WHERE claim_id = $claim_id
ORDER BY verified_at, address
