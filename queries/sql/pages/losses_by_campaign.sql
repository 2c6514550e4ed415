-- What it answers: the attack campaigns (a thin pair pumped through many accounts in one window).
-- Grain: one row per campaign.
-- Columns: campaign_id, pair, start_utc, end_utc, accounts, trades, loss_usd.
-- Parameters: none.
SELECT campaign_id, pair, start_utc, end_utc, accounts, trades, coalesce(loss_usd, 0) AS loss_usd
FROM campaigns
ORDER BY start_utc, campaign_id
