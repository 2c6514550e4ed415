-- What it answers: through which pairs the victims' balances were drained, in rows that add up to the
--   overview's headline loss.
-- Grain: one row per pair among the $limit largest losses (kind 'pair'), one row for every other pair
--   together (kind 'other', when there are more), and one row (kind 'floor') for the accounts whose
--   unauthorised trades netted a gain: the headline counts each such account as 0, not as a negative
--   offset against the others, so their net gain is added back here.
-- Columns: kind, pair (NULL for the other rows), accounts, trades, loss_usd (sum of the trades'
--   loss_usd; unpriced trades count 0; negative: the pair's trades netted a gain), netted_gain.
-- Sum of loss_usd over all rows = sum(account_losses.loss_usd), the headline.
-- Parameters: $limit (pairs shown one by one, largest losses first).
WITH by_pair AS (
    SELECT pair, count(DISTINCT exchange || ':' || account) AS accounts, count(*) AS trades,
           coalesce(sum(loss_usd), 0) AS loss_usd
    FROM unauthorized_trades
    GROUP BY pair
),
ranked AS (
    SELECT b.*, row_number() OVER (ORDER BY b.loss_usd DESC, b.pair) AS rank_no FROM by_pair AS b
),
floor_row AS (
    SELECT count(*) AS accounts, coalesce(sum(unauthorized_trades), 0) AS trades,
           coalesce(sum(coalesce(loss_usd, 0) - coalesce(net_value_change_usd, 0)), 0) AS loss_usd
    FROM account_losses
    WHERE coalesce(net_value_change_usd, 0) < 0
)
SELECT 'pair' AS kind, pair, accounts, trades, loss_usd, loss_usd < 0 AS netted_gain
FROM ranked
WHERE rank_no <= $limit
UNION ALL
SELECT 'other', NULL, sum(accounts), sum(trades), sum(loss_usd), sum(loss_usd) < 0
FROM ranked
WHERE rank_no > $limit
HAVING count(*) > 0
UNION ALL
SELECT 'floor', NULL, accounts, trades, loss_usd, FALSE
FROM floor_row
WHERE accounts > 0
ORDER BY kind = 'floor', kind = 'other', loss_usd DESC, pair
