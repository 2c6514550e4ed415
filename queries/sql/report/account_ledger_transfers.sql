-- report_account_ledger_transfers: the account's deposits and withdrawals that name an on-chain
-- transaction, from 7 days before its first unauthorised trade to 7 days after its last (IC3 fields).
-- Grain: one row per ledger movement.
-- Params: $exchange, $account.
WITH win AS (
    SELECT min(time_utc) - INTERVAL '7' DAY AS w_start, max(time_utc) + INTERVAL '7' DAY AS w_end
    FROM unauthorized_trades
    WHERE exchange = $exchange AND account = $account
)
SELECT m.time_utc, m.kind, m.asset, m.amount, m.address, m.tx_hash, m.network
FROM ledger_movements m
CROSS JOIN win
WHERE m.exchange = $exchange AND m.account = $account
  AND m.kind IN ('deposit', 'withdrawal')
  AND m.tx_hash IS NOT NULL
  AND m.time_utc BETWEEN win.w_start AND win.w_end
ORDER BY m.time_utc
