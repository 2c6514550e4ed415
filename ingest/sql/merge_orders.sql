-- merge_orders: add the staged orders (as exported: one snapshot of each) that the account lacks.
-- Grain: inserts one orders row per staged row whose (account, all order fields, occurrence) is new, so a
-- later export where an order moved from part-filled to filled adds that new snapshot.
-- (A left join rather than NOT EXISTS: the correlated form deduplicates every staged row first.)
-- Params: $exchange, $account (when the file carries none), $sha, $run_id, $format.
INSERT INTO orders (exchange, account, order_id, created_utc, updated_utc, pair, side, order_type, order_price,
                    order_quantity, filled_quantity, filled_quote, avg_price, avg_price_text, fee, fee_asset,
                    status, channel, tags, occurrence, evidence_sha256, source_row, ingest_run_id, format)
SELECT
    $exchange,
    coalesce(f.account, $account),
    f.order_id,
    f.created_utc,
    f.updated_utc,
    f.base_asset || '/' || f.quote_asset,
    f.side,
    f.order_type,
    f.order_price,
    f.order_quantity,
    f.filled_quantity,
    f.filled_quote,
    f.avg_price,
    f.avg_price_text,
    f.fee,
    f.fee_asset,
    f.status,
    f.channel,
    f.tags,
    f.occurrence,
    $sha,
    f.source_row,
    $run_id,
    $format
FROM stage.final AS f
LEFT JOIN orders AS o
    ON o.exchange = $exchange
   AND o.account = coalesce(f.account, $account)
   AND o.order_id IS NOT DISTINCT FROM f.order_id
   AND o.created_utc = f.created_utc
   AND o.updated_utc IS NOT DISTINCT FROM f.updated_utc
   AND o.pair = f.base_asset || '/' || f.quote_asset
   AND o.side = f.side
   AND o.order_type IS NOT DISTINCT FROM f.order_type
   AND o.order_price IS NOT DISTINCT FROM f.order_price
   AND o.order_quantity IS NOT DISTINCT FROM f.order_quantity
   AND o.filled_quantity IS NOT DISTINCT FROM f.filled_quantity
   AND o.filled_quote IS NOT DISTINCT FROM f.filled_quote
   AND o.avg_price IS NOT DISTINCT FROM f.avg_price
   AND o.status IS NOT DISTINCT FROM f.status
   AND o.occurrence = f.occurrence
WHERE o.exchange IS NULL
