-- report_incident_losses_by_exchange_pair: unauthorised trades and their loss in USD by exchange and pair
-- (loss as defined in account_losses: given-up minus received value at the fair price, fees included).
-- Grain: one row per (exchange, pair).
-- Params: none.
SELECT exchange, pair, count(DISTINCT account) AS accounts, count(*) AS trades, sum(loss_usd) AS loss_usd
FROM unauthorized_trades
GROUP BY exchange, pair
ORDER BY loss_usd DESC NULLS LAST, exchange, pair
