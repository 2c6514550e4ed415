-- What it answers: whether an account is under investigation, and its computed loss if any.
-- Grain: at most one row.
-- Columns: exchange, account, loss_usd (NULL when detection found nothing), unauthorized_trades.
-- Parameters: $exchange, $account.
SELECT a.exchange, a.account, l.loss_usd, coalesce(l.unauthorized_trades, 0) AS unauthorized_trades
FROM accounts a
LEFT JOIN account_losses l ON l.exchange = a.exchange AND l.account = a.account
WHERE a.exchange = $exchange AND a.account = $account
