-- report_account_balances: the account's balance per asset over time. From the exchange ledger when
-- one was ingested for the account (basis 'ledger'); otherwise the net change from its trades and fees
-- since the first trade on record (basis 'trades': the starting balance is unknown, so it starts at 0).
-- Grain: one row per (asset, movement).
-- Params: $exchange, $account.
WITH ledger AS (
    SELECT time_utc, asset, amount, 'ledger' AS basis
    FROM ledger_movements
    WHERE exchange = $exchange AND account = $account
),
trade_legs AS (
    SELECT time_utc, base_asset AS asset,
           CASE WHEN side = 'buy' THEN quantity ELSE -quantity END AS amount, 'trades' AS basis
    FROM executions WHERE exchange = $exchange AND account = $account
    UNION ALL
    SELECT time_utc, quote_asset,
           CASE WHEN side = 'buy' THEN -quote_quantity ELSE quote_quantity END, 'trades'
    FROM executions WHERE exchange = $exchange AND account = $account
    UNION ALL
    SELECT time_utc, fee_asset, -fee, 'trades'
    FROM executions WHERE exchange = $exchange AND account = $account AND fee IS NOT NULL AND fee_asset IS NOT NULL
),
moves AS (
    SELECT * FROM ledger
    UNION ALL
    SELECT * FROM trade_legs WHERE NOT EXISTS (SELECT 1 FROM ledger)
)
SELECT asset, time_utc,
       sum(amount) OVER (PARTITION BY asset ORDER BY time_utc
                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS balance,
       basis
FROM moves
ORDER BY asset, time_utc
