-- merge_trades: add the staged trades that the account does not already have.
-- Grain: inserts one trades row per staged fill whose (account, natural key, occurrence) is new, so
-- re-ingesting a file adds nothing and an overlapping export adds only its new fills.
-- (A left join rather than NOT EXISTS: the correlated form deduplicates every staged row first.)
-- Params: $exchange, $account (when the file carries none), $sha, $run_id, $format.
INSERT INTO trades (exchange, account, time_utc, pair, base_asset, quote_asset, side, price, quantity,
                    quote_quantity, fee, fee_asset, order_id, trade_id, counter_order_id, channel, liquidity,
                    occurrence, evidence_sha256, source_row, ingest_run_id, format)
SELECT
    $exchange,
    coalesce(f.account, $account),
    f.time_utc,
    f.base_asset || '/' || f.quote_asset,
    f.base_asset,
    f.quote_asset,
    f.side,
    f.price,
    f.quantity,
    f.quote_quantity,
    f.fee,
    f.fee_asset,
    f.order_id,
    f.trade_id,
    f.counter_order_id,
    f.channel,
    f.liquidity,
    f.occurrence,
    $sha,
    f.source_row,
    $run_id,
    $format
FROM stage.final AS f
LEFT JOIN trades AS t
    ON t.exchange = $exchange
   AND t.account = coalesce(f.account, $account)
   AND t.time_utc = f.time_utc
   AND t.base_asset = f.base_asset
   AND t.quote_asset = f.quote_asset
   AND t.side = f.side
   AND t.price = f.price
   AND t.quantity = f.quantity
   AND t.quote_quantity = f.quote_quantity
   AND t.fee IS NOT DISTINCT FROM f.fee
   AND t.fee_asset IS NOT DISTINCT FROM f.fee_asset
   AND t.order_id IS NOT DISTINCT FROM f.order_id
   AND t.trade_id IS NOT DISTINCT FROM f.trade_id
   AND t.occurrence = f.occurrence
WHERE t.exchange IS NULL
