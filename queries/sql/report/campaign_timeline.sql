-- campaign_timeline: how did one campaign unfold, minute by minute and account by account?
-- Grain: one row per (10-minute bucket, exchange, account) of the campaign's unauthorised trades, in
-- time order: fills, sells and buys, buys priced above the fair price, quote volume and loss (USD,
-- definition in unauthorized_trades.sql). Params: campaign_id.
SELECT date_trunc('hour', u.time_utc)
           + CAST(floor(minute(u.time_utc) / 10) * 10 AS INTEGER) * INTERVAL '1' MINUTE AS bucket_utc,
       u.exchange, u.account,
       min(u.time_utc) AS first_utc, max(u.time_utc) AS last_utc,
       count(*) AS trades,
       sum(CASE WHEN u.side = 'sell' THEN 1 ELSE 0 END) AS sells,
       sum(CASE WHEN u.side = 'buy' THEN 1 ELSE 0 END) AS buys,
       sum(CASE WHEN u.side = 'buy' AND u.fair_price IS NOT NULL AND u.price > u.fair_price THEN 1 ELSE 0 END)
           AS buys_above_fair,
       string_agg(DISTINCT u.pair, ';') AS pairs,
       sum(u.given_usd) AS given_usd,
       sum(u.loss_usd) AS loss_usd
FROM unauthorized_trades u
WHERE u.campaign_id = $campaign_id
GROUP BY 1, u.exchange, u.account
ORDER BY bucket_utc, u.exchange, u.account
