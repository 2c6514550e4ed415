-- report_claim_custody: the chain-of-custody entries of the evidence files in report_claim_evidence
-- (the same selection of files).
-- Grain: one row per custody entry.
-- Params: $claim_id, $exchange, $account.
WITH shas AS (
    SELECT sha256 FROM evidence_files WHERE claim_id = $claim_id
    UNION SELECT evidence_sha256 FROM claim_evidence WHERE claim_id = $claim_id
    UNION SELECT sha256 FROM evidence_submissions WHERE claim_id = $claim_id
    UNION SELECT evidence_sha256 FROM ingest_runs WHERE exchange = $exchange AND account = $account
    UNION SELECT leak_id FROM compromised_keys WHERE exchange = $exchange AND account = $account
    UNION SELECT DISTINCT b.evidence_sha256
          FROM price_bars b
          JOIN (SELECT pair, min(time_utc) - INTERVAL '24' HOUR AS w_start, max(time_utc) AS w_end
                FROM unauthorized_trades WHERE exchange = $exchange AND account = $account
                GROUP BY pair) w
            ON w.pair = b.pair AND b.open_time BETWEEN w.w_start AND w.w_end
)
SELECT c.sha256, c.at_utc, c.actor, c.action, c.details
FROM custody_log c
WHERE c.sha256 IN (SELECT sha256 FROM shas)
  AND c.sha256 NOT IN (SELECT sha256 FROM evidence_files WHERE kind IN ('report', 'export_bundle'))
ORDER BY c.at_utc, c.id
