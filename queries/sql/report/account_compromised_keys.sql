-- report_account_compromised_keys: leaked keys that belong to the claimed account, or that the claim
-- names by fingerprint, with the leak's source and date (from `keytrace detect`'s compromised_keys).
-- Grain: one row per (fingerprint, leak, link).
-- Params: $exchange, $account, $fingerprint (the claim's key fingerprint or NULL).
SELECT DISTINCT fingerprint, exchange, account, leak_id, leak_source, leak_date, key_created_utc,
       permissions, ip_restricted, linked_by
FROM compromised_keys
WHERE exchange = $exchange
  AND (account = $account OR fingerprint = $fingerprint)
ORDER BY leak_date NULLS LAST, fingerprint, leak_id
