-- What it answers: through which pairs the victims' balances were drained (the pairs with a loss; a
--   pair whose unauthorised trades netted a gain or nothing drained no balance and is left out).
-- Grain: one row per pair whose summed loss_usd is above zero.
-- Columns: pair, accounts, trades, loss_usd (sum of the trades' loss_usd; unpriced trades count 0).
-- Parameters: $limit (largest losses first).
SELECT pair, count(DISTINCT exchange || ':' || account) AS accounts, count(*) AS trades,
       coalesce(sum(loss_usd), 0) AS loss_usd
FROM unauthorized_trades
GROUP BY pair
HAVING coalesce(sum(loss_usd), 0) > 0
ORDER BY loss_usd DESC, pair
LIMIT $limit
