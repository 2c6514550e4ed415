-- report_account_campaigns: the campaigns one account's unauthorised trades belong to.
-- Grain: one row per campaign.
-- Params: $exchange, $account.
SELECT c.campaign_id, c.pair, c.start_utc, c.end_utc, c.accounts, c.trades, c.loss_usd
FROM campaigns c
WHERE c.campaign_id IN (SELECT campaign_id FROM campaign_accounts
                        WHERE exchange = $exchange AND account = $account)
ORDER BY c.start_utc, c.campaign_id
