-- report_incident_evidence: the evidence files behind the incident's findings: the exports of accounts
-- with unauthorised trades and the leak dumps of compromised keys.
-- Grain: one row per evidence file.
-- Params: none.
SELECT f.sha256, f.original_name, f.kind, f.size_bytes, f.submitted_by, f.submitted_at, f.stored
FROM evidence_files f
WHERE f.sha256 IN (SELECT DISTINCT evidence_sha256 FROM unauthorized_trades)
   OR f.sha256 IN (SELECT leak_id FROM compromised_keys)
ORDER BY f.submitted_at, f.sha256
