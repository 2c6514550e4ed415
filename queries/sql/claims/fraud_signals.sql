-- fraud_signals: which claims show warning signs of a false or duplicate claim?
--   SHARED_UID        the same exchange account is claimed by different people
--   SHARED_KEY        the same API-key fingerprint appears in claims of different people
--   SHARED_WALLET     the same wallet was proven by signature in claims of different people
--   LOSS_INFLATED     the claimed loss is above $loss_ratio times the computed loss (account_losses;
--                     0 when the account's trades show no unauthorised trade) and more than
--                     $loss_slack_usd USD above it; only once `keytrace detect` has run (before that
--                     no loss is computed, and none is judged inflated)
--   NO_ACCOUNT_TRACE  no export, trade, order or ledger row of the claimed account is in the database
--   UPLOAD_HELD       an upload of the claim is held for review: its screen (claims/screen_upload.sql)
--                     found it naming another account, or the same file or executions in another
--                     account or claim, or contradicting the account's other evidence
--   WALLET_NOT_LINKED a wallet proven by signature is named by no deposit or withdrawal of the account
--                     (ownership_evidence grades it WALLET_SIGNED_UNLINKED)
-- Grain: one row per (claim_id, signal). Params: claim_id (NULL: every claim), loss_ratio, loss_slack_usd.
WITH c AS (
    SELECT id, user_id, lower(exchange) AS exchange, account, key_fingerprint, claimed_loss_usd
    FROM claims
),
in_scope AS (
    SELECT * FROM c WHERE $claim_id IS NULL OR id = $claim_id
),
traced AS (
    -- only the claims asked about: a single claim's check does not scan the tables for every claim
    SELECT c.id FROM in_scope c
    WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.exchange = c.exchange AND a.account = c.account)
       OR EXISTS (SELECT 1 FROM executions t WHERE t.exchange = c.exchange AND t.account = c.account)
       OR EXISTS (SELECT 1 FROM ledger_movements m WHERE m.exchange = c.exchange AND m.account = c.account)
       OR EXISTS (SELECT 1 FROM orders o WHERE o.exchange = c.exchange AND o.account = c.account)
),
signals AS (
    SELECT a.id AS claim_id, 'SHARED_UID' AS signal,
           'account ' || a.exchange || ':' || a.account || ' is also claimed in claim ' || CAST(min(b.id) AS VARCHAR)
               AS detail
    FROM in_scope a JOIN c b ON b.exchange = a.exchange AND b.account = a.account AND b.user_id <> a.user_id
    GROUP BY a.id, a.exchange, a.account
    UNION ALL
    SELECT a.id, 'SHARED_KEY', 'the same API key is named in claim ' || CAST(min(b.id) AS VARCHAR)
    FROM in_scope a JOIN c b ON b.key_fingerprint = a.key_fingerprint AND b.user_id <> a.user_id
    GROUP BY a.id
    UNION ALL
    SELECT wa.claim_id, 'SHARED_WALLET',
           'wallet ' || lower(wa.address) || ' is also proven in claim ' || CAST(min(wb.claim_id) AS VARCHAR)
    FROM wallet_proofs wa
    JOIN in_scope ca ON ca.id = wa.claim_id
    JOIN wallet_proofs wb ON lower(wb.address) = lower(wa.address) AND wb.claim_id <> wa.claim_id
    JOIN c cb ON cb.id = wb.claim_id AND cb.user_id <> ca.user_id
    GROUP BY wa.claim_id, lower(wa.address)
    UNION ALL
    SELECT c.id, 'LOSS_INFLATED',
           'claimed ' || CAST(c.claimed_loss_usd AS VARCHAR) || ' USD, '
               || CASE WHEN l.loss_usd IS NULL
                       THEN 'but detection found no unauthorised trade in this account''s trades'
                       ELSE 'computed ' || CAST(CAST(l.loss_usd AS DECIMAL(38,2)) AS VARCHAR) || ' USD' END
    FROM in_scope c
    JOIN traced tr ON tr.id = c.id
    LEFT JOIN account_losses l ON l.exchange = c.exchange AND l.account = c.account
    WHERE c.claimed_loss_usd IS NOT NULL
      AND c.claimed_loss_usd > coalesce(l.loss_usd, 0) * $loss_ratio
      AND c.claimed_loss_usd - coalesce(l.loss_usd, 0) > $loss_slack_usd
      AND EXISTS (SELECT 1 FROM detection_runs)
    UNION ALL
    SELECT ce.claim_id, 'UPLOAD_HELD',
           coalesce(ce.original_name, 'an upload') || ' (SHA-256 ' || left(ce.evidence_sha256, 12)
               || '...) is held for review: '
               || coalesce((SELECT string_agg(x.detail, '; ')
                            FROM (SELECT unnest(from_json(ce.signals_json, '[{"signal":"VARCHAR","detail":"VARCHAR"}]'), recursive := true)) x),
                           'flagged by the upload screen')
    FROM claim_evidence ce
    JOIN in_scope c ON c.id = ce.claim_id
    WHERE ce.state = 'quarantined'
    UNION ALL
    SELECT w.claim_id, 'WALLET_NOT_LINKED',
           'wallet ' || lower(w.address) || ' was proven by signature, but no deposit or withdrawal of '
               || c.exchange || ':' || c.account || ' names it, so it does not tie the claimant to the account'
    FROM wallet_proofs w
    JOIN in_scope c ON c.id = w.claim_id
    WHERE NOT EXISTS (
        SELECT 1 FROM ledger_movements m
        WHERE m.exchange = c.exchange AND m.account = c.account AND m.kind IN ('deposit', 'withdrawal')
          -- the same rule as ownership_evidence's linked_wallets: a history naming the account, or staff's
          AND (EXISTS (SELECT 1 FROM ingest_runs r
                       WHERE r.evidence_sha256 = m.evidence_sha256 AND r.account_from_file
                         AND list_contains(string_split(r.account, ','), m.account))
               OR NOT EXISTS (SELECT 1 FROM claim_evidence ce2 WHERE ce2.evidence_sha256 = m.evidence_sha256))
          AND (lower(m.address) = lower(w.address)
               OR EXISTS (SELECT 1 FROM transfers t WHERE lower(t.tx_hash) = lower(m.tx_hash)
                            AND lower(w.address) IN (lower(t.to_address), lower(t.from_address)))))
    UNION ALL
    SELECT c.id, 'NO_ACCOUNT_TRACE', 'no export of ' || c.exchange || ':' || c.account || ' is in the database'
    FROM in_scope c
    WHERE NOT EXISTS (SELECT 1 FROM traced tr WHERE tr.id = c.id)
)
SELECT claim_id, signal, detail
FROM signals
WHERE $claim_id IS NULL OR claim_id = $claim_id
ORDER BY claim_id, signal
