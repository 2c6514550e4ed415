-- What it answers: does the database hold any trade of this exchange account? (A claim whose account has
-- none has no computed loss because there is nothing to judge, not because nothing was unauthorised.)
-- Grain: one row. Columns: has_trades (boolean).
-- Parameters: $exchange, $account.
SELECT EXISTS (SELECT 1 FROM executions WHERE exchange = $exchange AND account = $account) AS has_trades
