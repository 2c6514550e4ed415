-- report_account_unauthorized_trades: every trade of one account judged unauthorised, in time order,
-- with its score, reason codes, fair price and loss in USD (see account_losses for the loss definition),
-- and the evidence file and row it was read from.
-- Grain: one row per unauthorised trade.
-- Params: $exchange, $account.
SELECT exchange, account, time_utc, pair, side, price, quantity, quote_quantity, fee, fee_asset, score,
       reasons, campaign_id, fair_price, loss_usd, evidence_sha256, source_row
FROM unauthorized_trades
WHERE exchange = $exchange AND account = $account
ORDER BY time_utc, evidence_sha256, source_row
