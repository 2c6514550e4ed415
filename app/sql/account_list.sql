-- What it answers: which accounts are under investigation, worst losses first.
-- Grain: one row per (exchange, account) in accounts.
-- Columns: exchange, account, loss_usd (NULL when detection found nothing), unauthorized_trades.
-- Parameters: none.
SELECT a.exchange, a.account, l.loss_usd, coalesce(l.unauthorized_trades, 0) AS unauthorized_trades
FROM accounts a
LEFT JOIN account_losses l ON l.exchange = a.exchange AND l.account = a.account
ORDER BY l.loss_usd DESC NULLS LAST, a.exchange, a.account
