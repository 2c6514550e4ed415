-- account_losses: how much did each victim account lose to unauthorised trading, in USD?
-- net_value_change_usd is the signed sum of the account's unauthorised trades' loss_usd (definition in
-- unauthorized_trades.sql); loss_usd = max(0, net): an account that came out ahead lost nothing.
-- Grain: one row per (exchange, account) with at least one unauthorised trade.
-- Params: none.
SELECT u.exchange, u.account, min(u.time_utc) AS first_unauthorized_utc,
       max(u.time_utc) AS last_unauthorized_utc, count(*) AS unauthorized_trades,
       sum(u.loss_usd) AS net_value_change_usd,
       CASE WHEN sum(u.loss_usd) < 0 THEN CAST(0 AS DECIMAL(38,8)) ELSE sum(u.loss_usd) END AS loss_usd,
       sum(CASE WHEN u.loss_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_trades,
       EXISTS (SELECT 1 FROM compromised_keys k WHERE k.exchange = u.exchange AND k.account = u.account)
           AS compromised_key
FROM unauthorized_trades u
GROUP BY u.exchange, u.account
