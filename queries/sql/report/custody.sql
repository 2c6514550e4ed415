-- custody: the chain-of-custody entries of the evidence files a report lists (the claim report passes
-- the files of report/claim_evidence.sql, so both state the same selection of files).
-- Grain: one row per custody entry, oldest first.
-- Params: $shas (the SHA-256 of each listed evidence file).
SELECT c.sha256, c.at_utc, c.actor, c.action, c.details
FROM custody_log AS c
WHERE list_contains($shas, c.sha256)
ORDER BY c.at_utc, c.id
