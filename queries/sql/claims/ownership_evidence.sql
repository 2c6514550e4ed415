-- ownership_evidence: how strongly does the evidence tie a claimant to the exchange account they claim?
-- Graded 0-100 after GraphSense's confidence scale (the higher, the more independent the proof):
--    0 CLAIM_ONLY                 the claimant's word: a claim was filed.
--   10 ACCOUNT_UNDER_INVESTIGATION an export of the claimed account is in the database (anyone's upload).
--   20 KEY_MATCHES_ACCOUNT        the claim names the fingerprint of a key that the account's own
--                                 apiRestrictions record lists (weak: whoever holds a leaked key knows it).
--   40 UID_IN_OWN_EXPORT          an export the claimant attached to the claim names the claimed exchange
--                                 account in its own rows (a UID column: ingest_runs.account_from_file).
--                                 An export without a UID (Binance Trade History) is stored under the
--                                 claim's UID, so it proves nothing about the account and does not count.
--   15 WALLET_SIGNED_UNLINKED     the claimant proved by EIP-191 signature that they control a wallet,
--                                 but nothing links that wallet to the account: anyone can sign with a
--                                 wallet of their own, so the signature alone says little.
--   60 WALLET_SIGNED              as 15, and the account's own deposit or withdrawal history names the
--                                 wallet (the address it paid or was paid from, or a transaction the
--                                 chain shows to or from it). The history counts as for 80: it names the
--                                 account in its own rows, or came from outside any claim.
--   80 WITHDRAWAL_TO_SIGNED_WALLET the account's withdrawal history names a transaction that the chain
--                                 confirms paid a wallet the claimant proved by signature. The history
--                                 must name the account in its own rows, or come from outside any claim
--                                 (obtained by staff): a claimant's export without a UID is stored under
--                                 the UID they claim, which anyone can write.
--   90 OWN_EXPORT_WITHDRAWAL      as 80, with the withdrawal row in an export the claimant attached.
-- Grain: one row per grade the claim reaches (level, reason). Params: claim_id.
WITH c AS (
    SELECT id, lower(exchange) AS exchange, account, key_fingerprint FROM claims WHERE id = $claim_id
),
own_evidence AS (
    -- uploads held for review, rejected or withdrawn are not the claimant's evidence
    SELECT evidence_sha256 FROM claim_evidence WHERE claim_id = $claim_id AND state = 'accepted'
),
signed AS (
    SELECT lower(address) AS address FROM wallet_proofs WHERE claim_id = $claim_id
),
account_money_moves AS (
    -- the account's deposits and withdrawals from a history that names the account, or that staff obtained
    SELECT m.*
    FROM ledger_movements m
    JOIN c ON m.exchange = c.exchange AND m.account = c.account
    WHERE m.kind IN ('deposit', 'withdrawal')
      AND (EXISTS (SELECT 1 FROM ingest_runs r
                   WHERE r.evidence_sha256 = m.evidence_sha256 AND r.account_from_file
                     AND list_contains(string_split(r.account, ','), m.account))
           OR NOT EXISTS (SELECT 1 FROM claim_evidence ce WHERE ce.evidence_sha256 = m.evidence_sha256))
),
linked_wallets AS (
    SELECT DISTINCT s.address
    FROM signed s
    JOIN account_money_moves m ON lower(m.address) = s.address
    UNION
    SELECT DISTINCT s.address
    FROM account_money_moves m
    JOIN transfers t ON lower(t.tx_hash) = lower(m.tx_hash)
    JOIN signed s ON s.address = lower(CASE WHEN m.kind = 'withdrawal' THEN t.to_address ELSE t.from_address END)
    WHERE m.tx_hash IS NOT NULL
),
confirmed_withdrawals AS (
    SELECT m.evidence_sha256
    FROM account_money_moves m
    JOIN transfers t ON lower(t.tx_hash) = lower(m.tx_hash)
    JOIN signed s ON s.address = lower(t.to_address)
    WHERE m.kind = 'withdrawal' AND m.tx_hash IS NOT NULL
)
SELECT 0 AS level, 'CLAIM_ONLY: the claimant''s statement' AS reason FROM c
UNION ALL
SELECT 10, 'ACCOUNT_UNDER_INVESTIGATION: an export of the claimed account is in the database'
FROM c WHERE EXISTS (SELECT 1 FROM accounts a WHERE a.exchange = c.exchange AND a.account = c.account)
UNION ALL
SELECT 20, 'KEY_MATCHES_ACCOUNT: the claimed key is one of the account''s own API keys'
FROM c WHERE c.key_fingerprint IS NOT NULL
  AND EXISTS (SELECT 1 FROM api_keys k WHERE k.fingerprint = c.key_fingerprint AND k.exchange = c.exchange
                                         AND k.account = c.account)
UNION ALL
SELECT 40, 'UID_IN_OWN_EXPORT: an export the claimant submitted names the claimed account in its own rows'
FROM c WHERE EXISTS (SELECT 1 FROM ingest_runs r JOIN own_evidence e ON e.evidence_sha256 = r.evidence_sha256
                     WHERE lower(r.exchange) = c.exchange AND r.account_from_file
                       AND list_contains(string_split(r.account, ','), c.account))
UNION ALL
SELECT 15, 'WALLET_SIGNED_UNLINKED: the claimant signed with wallet ' || s.address
           || ', which no deposit or withdrawal of the account names'
FROM c, signed s WHERE s.address NOT IN (SELECT address FROM linked_wallets)
UNION ALL
SELECT 60, 'WALLET_SIGNED: the claimant signed with wallet ' || l.address
           || ', which a deposit or withdrawal of the account names'
FROM c, linked_wallets l
UNION ALL
SELECT 80, 'WITHDRAWAL_TO_SIGNED_WALLET: a withdrawal of the account went on chain to the signed wallet'
FROM c WHERE EXISTS (SELECT 1 FROM confirmed_withdrawals)
UNION ALL
SELECT 90, 'OWN_EXPORT_WITHDRAWAL: the claimant''s own export shows that withdrawal'
FROM c WHERE EXISTS (SELECT 1 FROM confirmed_withdrawals w JOIN own_evidence e ON e.evidence_sha256 = w.evidence_sha256)
