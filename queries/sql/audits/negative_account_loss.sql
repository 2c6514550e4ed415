-- audit negative_account_loss: accounts whose reported loss is below zero, or disagrees with the sum
-- of their unauthorised trades (loss_usd must be max(0, sum of trade losses)).
-- Grain: one row per offending account. Params: none.
SELECT a.exchange, a.account, a.loss_usd, a.net_value_change_usd
FROM account_losses a
WHERE a.loss_usd < 0
   OR a.net_value_change_usd <> (SELECT sum(u.loss_usd) FROM unauthorized_trades u
                                 WHERE u.exchange = a.exchange AND u.account = a.account)
