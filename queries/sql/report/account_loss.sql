-- report_account_loss: the account's loss as `keytrace detect` computed it.
-- Loss in USD: for each unauthorised trade, the value given up minus the fair value received, both at
-- the fair price (the pair's median close over the 24 hours before the account's first unauthorised
-- trade), fees included, non-USD quote assets converted through reference prices; summed per account
-- (loss_usd = max(0, net value change)).
-- Grain: one row (or none when the account has no unauthorised trade).
-- Params: $exchange, $account.
SELECT exchange, account, first_unauthorized_utc, last_unauthorized_utc, unauthorized_trades,
       net_value_change_usd, loss_usd, unpriced_trades, compromised_key
FROM account_losses
WHERE exchange = $exchange AND account = $account
