-- audit finding_without_evidence: findings that cannot be traced back to the evidence behind them.
-- Returns rows that must not exist: an unauthorised trade with no execution at its provenance
-- (evidence_sha256, source_row) or no unauthorised trade_scores row; a campaign without accounts;
-- a compromised key with no leaked_keys row.
-- Grain: one row per offending finding. Params: none.
SELECT 'unauthorized_trades' AS finding, u.evidence_sha256 || ':' || CAST(u.source_row AS VARCHAR) AS id,
       'no execution at this provenance' AS problem
FROM unauthorized_trades u
WHERE NOT EXISTS (SELECT 1 FROM executions t WHERE t.exchange = u.exchange AND t.account = u.account
                                           AND t.evidence_sha256 = u.evidence_sha256
                                           AND t.source_row = u.source_row)
UNION ALL
SELECT 'unauthorized_trades', u.evidence_sha256 || ':' || CAST(u.source_row AS VARCHAR),
       'no unauthorised score with reason codes'
FROM unauthorized_trades u
WHERE NOT EXISTS (SELECT 1 FROM trade_scores s WHERE s.exchange = u.exchange AND s.account = u.account
                                                 AND s.evidence_sha256 = u.evidence_sha256
                                                 AND s.source_row = u.source_row AND s.unauthorized
                                                 AND s.reasons <> '')
UNION ALL
SELECT 'campaigns', c.campaign_id, 'campaign without accounts'
FROM campaigns c
WHERE NOT EXISTS (SELECT 1 FROM campaign_accounts a WHERE a.campaign_id = c.campaign_id)
UNION ALL
SELECT 'compromised_keys', k.fingerprint, 'key not in any imported leak'
FROM compromised_keys k
WHERE NOT EXISTS (SELECT 1 FROM leaked_keys l WHERE l.fingerprint = k.fingerprint AND l.leak_id = k.leak_id)
