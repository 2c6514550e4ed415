-- What it answers: the accounts with unauthorised trades, worst losses first (the account view's list;
--   any other account under investigation can be typed in by name).
-- Grain: one row per (exchange, account) in account_losses, at most $limit.
-- Columns: exchange, account, loss_usd, unauthorized_trades.
-- Parameters: $limit.
SELECT exchange, account, loss_usd, unauthorized_trades
FROM account_losses
ORDER BY loss_usd DESC NULLS LAST, exchange, account
LIMIT $limit
