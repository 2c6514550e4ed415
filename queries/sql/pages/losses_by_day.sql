-- What it answers: how the computed losses accumulated over time, per exchange.
-- Grain: one row per UTC day and exchange with at least one priced unauthorised trade.
-- Columns: day (DATE, UTC), exchange, loss_usd (sum of the trades' loss_usd), trades.
-- Parameters: none.
SELECT CAST(date_trunc('day', time_utc) AS DATE) AS day, exchange,
       sum(loss_usd) AS loss_usd, count(*) AS trades
FROM unauthorized_trades
WHERE loss_usd IS NOT NULL
GROUP BY 1, 2
ORDER BY 1, 2
