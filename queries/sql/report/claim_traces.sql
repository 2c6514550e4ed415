-- report_claim_traces: the traces that concern a claim. A trace concerns the claim when one of its seed
-- addresses is an address of the claim: a wallet the claimant proved by signature, or an address in the
-- account's deposit/withdrawal ledger. (Traces from the attackers' addresses concern the incident as a
-- whole; the claim report shows them as such when no trace concerns the claim itself.) Of several runs
-- from the same seeds and direction only the latest is kept, the haircut model preferred (it conserves
-- amounts, so the figures add up).
-- Grain: one row per trace run.
-- Params: $claim_id, $exchange, $account.
WITH claim_addresses AS (
    SELECT lower(address) AS address FROM wallet_proofs WHERE claim_id = $claim_id
    UNION
    SELECT lower(address) FROM ledger_movements
    WHERE exchange = $exchange AND account = $account AND address IS NOT NULL
),
latest AS (
    SELECT trace_id, created_at, model, direction, hops, seeds,
           row_number() OVER (PARTITION BY seeds, direction
                              ORDER BY CASE WHEN model = 'haircut' THEN 0 ELSE 1 END, created_at DESC) AS rn
    FROM trace_runs
)
SELECT l.trace_id, l.created_at, l.model, l.direction, l.hops, l.seeds
FROM latest l
WHERE l.rn = 1
  AND EXISTS (SELECT 1 FROM claim_addresses a WHERE position('"' || a.address || '"' IN lower(l.seeds)) > 0)
ORDER BY l.created_at, l.trace_id
