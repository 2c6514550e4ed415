-- What it answers: why detection judged the account's trades unauthorised: how many of them carry each
-- reason code (trade_scores.sql defines the codes), most frequent first.
-- Grain: one row per reason code. Columns: reason, trades.
-- Parameters: $exchange, $account.
SELECT reason, count(*) AS trades
FROM (SELECT unnest(string_split(reasons, ';')) AS reason
      FROM unauthorized_trades WHERE exchange = $exchange AND account = $account)
WHERE reason <> ''
GROUP BY reason
ORDER BY trades DESC, reason
