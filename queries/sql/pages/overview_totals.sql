-- What it answers: the incident in figures for the investigators' overview.
-- Grain: one row.
-- Columns: victim_accounts (accounts with unauthorised trades), loss_usd (sum of account losses),
--   unauthorized_trades, campaigns, compromised_keys (distinct fingerprints found in a leak), claims.
-- Parameters: none. Reads the tables `keytrace detect` fills (migration 008) and claims.
SELECT
    (SELECT count(*) FROM account_losses WHERE unauthorized_trades > 0)        AS victim_accounts,
    (SELECT coalesce(sum(loss_usd), 0) FROM account_losses)                   AS loss_usd,
    (SELECT count(*) FROM unauthorized_trades)                                AS unauthorized_trades,
    (SELECT count(*) FROM campaigns)                                          AS campaigns,
    (SELECT count(DISTINCT fingerprint) FROM compromised_keys)                AS compromised_keys,
    (SELECT count(*) FROM claims)                                             AS claims
