-- What it answers: when each account took part in each campaign (the bursts of attack trades).
-- Grain: one row per campaign, account and attack session.
-- Columns: campaign_id, pair, exchange, account, first_utc, last_utc, trades, loss_usd.
-- Parameters: none.
SELECT ca.campaign_id, c.pair, ca.exchange, ca.account, ca.first_utc, ca.last_utc, ca.trades,
       coalesce(ca.loss_usd, 0) AS loss_usd
FROM campaign_accounts ca
JOIN campaigns c ON c.campaign_id = ca.campaign_id
ORDER BY ca.first_utc, ca.campaign_id, ca.exchange, ca.account
