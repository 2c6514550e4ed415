-- report_claim_evidence: the evidence files a claim report rests on: files filed with the claim, the
-- exports ingested for the claimed account, the leak dumps its compromised keys were found in, and
-- the price files behind the reference prices of its unauthorised pairs. Reports and bundles keytrace
-- made are outputs, not sources, and are left out.
-- Grain: one row per evidence file.
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
SELECT f.sha256, f.original_name, f.kind, f.size_bytes, f.submitted_by, f.submitted_at, f.stored
FROM evidence_files f
WHERE f.sha256 IN (SELECT sha256 FROM shas)
  AND f.kind NOT IN ('report', 'export_bundle')
ORDER BY f.submitted_at, f.sha256
