-- What it answers: what keytrace knows about one API-key fingerprint: the leaks that contain it, the
--   account whose key it is (apiRestrictions record) and the claims that name it.
-- Grain: one row per fact (source = leak | api_key | claim).
-- Columns: source, exchange, account, detail, when_utc, leak_id_or_claim.
-- Parameters: $fingerprint (64 lower-case hex digits).
SELECT 'leak' AS source, k.exchange, CAST(NULL AS VARCHAR) AS account,
       l.source AS detail, CAST(l.leak_date AS TIMESTAMPTZ) AS when_utc, l.leak_id AS leak_id_or_claim
FROM leaked_keys k JOIN leaks l ON l.leak_id = k.leak_id
WHERE k.fingerprint = $fingerprint
UNION ALL
SELECT 'api_key', a.exchange, a.account,
       coalesce(a.permissions, '') || CASE WHEN a.ip_restricted THEN ' ip-restricted' ELSE '' END,
       a.created_utc, a.evidence_sha256
FROM api_keys a
WHERE a.fingerprint = $fingerprint
UNION ALL
SELECT 'claim', c.exchange, c.account, c.status, c.created_at, CAST(c.id AS VARCHAR)
FROM claims c
WHERE c.key_fingerprint = $fingerprint
ORDER BY 1, 5
