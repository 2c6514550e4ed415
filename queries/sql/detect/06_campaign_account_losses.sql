-- campaign_account_losses: fills in each campaign account's loss (sum of its unauthorised trades'
-- loss_usd in that session; NULL when none of them could be priced).
-- Grain: updates one row per campaign_accounts row.
-- Params: none.
UPDATE campaign_accounts
SET loss_usd = (
    SELECT sum(u.loss_usd) FROM unauthorized_trades u
    WHERE u.exchange = campaign_accounts.exchange AND u.account = campaign_accounts.account
      AND u.session_id = campaign_accounts.session_id
)
