-- report_incident_trades: every unauthorised trade of every account, in time order.
-- Grain: one row per unauthorised trade.
-- Params: none.
SELECT exchange, account, time_utc, pair, side, price, quantity, quote_quantity, fee, fee_asset, score,
       reasons, campaign_id, fair_price, loss_usd, evidence_sha256, source_row
FROM unauthorized_trades
ORDER BY time_utc, exchange, account, evidence_sha256, source_row
