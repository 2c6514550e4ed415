-- report_incident_trade_count: how many trades were judged unauthorised, over every account.
-- Grain: one row.
-- Params: none.
SELECT count(*) AS trades
FROM unauthorized_trades
