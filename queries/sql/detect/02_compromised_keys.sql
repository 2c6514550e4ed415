-- compromised_keys: which API keys of investigated accounts appear in an imported leak dump?
-- A key is compromised when its fingerprint (sha256(lower(exchange):api_key)) is in leaked_keys.
-- The key is linked to an account through the account's apiRestrictions record (api_keys) or through
-- a claim that names the key's fingerprint. Keys in a leak that no
-- investigated account or claim names are not listed (the dump itself stays in leaked_keys).
-- Grain: one row per (fingerprint, exchange, account, leak_id, linked_by).
-- Params: none.
WITH key_accounts AS (
    SELECT fingerprint, exchange, account, created_utc, permissions, ip_restricted, 'api_keys' AS linked_by
    FROM api_keys
    UNION ALL
    SELECT c.key_fingerprint, c.exchange, c.account, NULL, NULL, NULL, 'claim'
    FROM claims c
    WHERE c.key_fingerprint IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM api_keys k
                      WHERE k.fingerprint = c.key_fingerprint AND k.exchange = c.exchange
                        AND k.account = c.account)
),
linked AS (
    SELECT DISTINCT ka.fingerprint, ka.exchange, ka.account, lk.leak_id, l.source AS leak_source,
           l.leak_date, ka.created_utc AS key_created_utc, ka.permissions, ka.ip_restricted, ka.linked_by
    FROM key_accounts ka
    JOIN leaked_keys lk ON lk.fingerprint = ka.fingerprint AND lk.exchange = ka.exchange
    JOIN leaks l ON l.leak_id = lk.leak_id
)
SELECT fingerprint, exchange, account, leak_id, leak_source, leak_date, key_created_utc, permissions,
       ip_restricted, linked_by
FROM linked
