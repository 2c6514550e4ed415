-- What it answers: the computed loss of one exchange account (shown to the victim with its claim).
-- Grain: at most one row.
-- Columns: every column of account_losses.
-- Parameters: $exchange, $account.
SELECT exchange, account, first_unauthorized_utc, last_unauthorized_utc, unauthorized_trades,
       net_value_change_usd, loss_usd, unpriced_trades, compromised_key
FROM account_losses
WHERE exchange = $exchange AND account = $account
