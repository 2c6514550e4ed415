-- merge_api_keys: record the API keys (by fingerprint) an account's key records describe.
-- Grain: inserts one api_keys row per (fingerprint, exchange) not yet known; a key already known keeps its
-- first record, so re-ingesting changes nothing. Params: $exchange, $account, $sha.
INSERT INTO api_keys (fingerprint, exchange, account, created_utc, permissions, ip_restricted, evidence_sha256)
SELECT
    f.fingerprint,
    $exchange,
    coalesce(f.account, nullif($account, '')),
    f.created_utc,
    f.permissions,
    f.ip_restricted,
    $sha
FROM stage.final AS f
WHERE NOT EXISTS (
    SELECT 1
    FROM api_keys AS k
    WHERE k.fingerprint = f.fingerprint
      AND k.exchange = $exchange
)
QUALIFY row_number() OVER (PARTITION BY f.fingerprint ORDER BY f.source_row) = 1
