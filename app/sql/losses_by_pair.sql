-- What it answers: through which pairs the victims' balances were drained.
-- Grain: one row per pair.
-- Columns: pair, accounts, trades, loss_usd (sum of the trades' loss_usd; unpriced trades count 0).
-- Parameters: $limit (largest pairs first).
SELECT pair, count(DISTINCT exchange || ':' || account) AS accounts, count(*) AS trades,
       coalesce(sum(loss_usd), 0) AS loss_usd
FROM unauthorized_trades
GROUP BY pair
ORDER BY loss_usd DESC, pair
LIMIT $limit
