-- report_account_chart_trades: the account's trades on the pairs it traded without authorisation, in
-- the same windows as report_account_reference_prices, each marked unauthorised or not.
-- Grain: one row per trade.
-- Params: $exchange, $account.
WITH windows AS (
    SELECT pair, min(time_utc) - INTERVAL '24' HOUR AS w_start, max(time_utc) + INTERVAL '2' HOUR AS w_end
    FROM unauthorized_trades
    WHERE exchange = $exchange AND account = $account
    GROUP BY pair
)
SELECT t.pair, t.time_utc, t.price,
       (u.source_row IS NOT NULL) AS unauthorized
FROM executions t
JOIN windows w ON w.pair = t.pair AND t.time_utc BETWEEN w.w_start AND w.w_end
LEFT JOIN unauthorized_trades u ON u.exchange = t.exchange AND u.account = t.account
                               AND u.evidence_sha256 = t.evidence_sha256 AND u.source_row = t.source_row
WHERE t.exchange = $exchange AND t.account = $account
ORDER BY t.pair, t.time_utc
