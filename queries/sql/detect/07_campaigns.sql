-- campaigns: which pump campaigns ran through victims' accounts: pair, time window, accounts, loss?
-- Grain: one row per campaign_id (see campaign_accounts.sql for how sessions are grouped).
-- loss_usd is the sum of the campaign's unauthorised trades' loss_usd (definition in
-- unauthorized_trades.sql).
-- Params: none.
SELECT campaign_id, pair, min(first_utc) AS start_utc, max(last_utc) AS end_utc,
       count(DISTINCT exchange || ':' || account) AS accounts, sum(trades) AS trades,
       sum(loss_usd) AS loss_usd
FROM campaign_accounts
GROUP BY campaign_id, pair
