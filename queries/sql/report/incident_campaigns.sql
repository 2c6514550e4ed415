-- report_incident_campaigns: every campaign, in time order.
-- Grain: one row per campaign.
-- Params: none.
SELECT campaign_id, pair, start_utc, end_utc, accounts, trades, loss_usd
FROM campaigns
ORDER BY start_utc, campaign_id
