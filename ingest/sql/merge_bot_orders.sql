-- merge_bot_orders: add the staged bot-platform orders that are not stored yet.
-- Grain: inserts one bot_orders row per staged order whose (platform, deal, order, time, pair, side,
-- quantity, price, occurrence) is new; re-ingesting a file adds nothing.
-- Params: $exchange (the platform, e.g. 3commas), $account (the exchange account, may be empty), $sha, $run_id.
INSERT INTO bot_orders (platform, exchange, account, platform_account_id, deal_id, bot_id, order_id, time_utc, pair,
                        side, quantity, price, price_text, occurrence, evidence_sha256, source_row, ingest_run_id)
SELECT
    $exchange,
    f.exchange,
    nullif($account, ''),
    f.platform_account_id,
    f.deal_id,
    f.bot_id,
    f.order_id,
    f.time_utc,
    f.base_asset || '/' || f.quote_asset,
    f.side,
    f.quantity,
    f.price,
    f.price_text,
    f.occurrence,
    $sha,
    f.source_row,
    $run_id
FROM stage.final AS f
WHERE NOT EXISTS (
    SELECT 1
    FROM bot_orders AS b
    WHERE b.platform = $exchange
      AND b.deal_id = f.deal_id
      AND b.order_id IS NOT DISTINCT FROM f.order_id
      AND b.time_utc = f.time_utc
      AND b.pair = f.base_asset || '/' || f.quote_asset
      AND b.side = f.side
      AND b.quantity IS NOT DISTINCT FROM f.quantity
      AND b.price IS NOT DISTINCT FROM f.price
      AND b.occurrence = f.occurrence
)
