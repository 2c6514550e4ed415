-- What it answers: which exchanges the victims lost money on.
-- Grain: one row per exchange.
-- Columns: exchange, accounts (with unauthorised trades), loss_usd (sum of account losses), trades.
-- Parameters: none.
SELECT exchange, count(*) AS accounts, coalesce(sum(loss_usd), 0) AS loss_usd,
       sum(unauthorized_trades) AS trades
FROM account_losses
GROUP BY exchange
ORDER BY loss_usd DESC, exchange
