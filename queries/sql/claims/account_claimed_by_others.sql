-- What it answers: does another person hold an open claim on the account this claim names? While they
-- do, neither may add exports of it and neither is shown its findings (app/claims.py); a claim staff
-- rejected or closed no longer counts, so a bogus claim cannot block the account's holder for good.
-- Grain: one row. Columns: claimed (boolean).
-- Parameters: $claim_id.
SELECT EXISTS (
    SELECT 1
    FROM claims AS c
    JOIN claims AS o
      ON lower(o.exchange) = lower(c.exchange) AND o.account = c.account AND o.user_id <> c.user_id
    WHERE c.id = $claim_id AND o.status NOT IN ('rejected', 'closed')
) AS claimed
