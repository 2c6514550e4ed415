-- threecommas_deals: 3Commas deals (the CSV export, or the JSON API converted by ingest.convert with one row
-- per market order, or per deal when it carries none) as canonical bot orders.
-- Grain: one row per filled market order; for a deal row, one row per leg (opening at created_at, closing at
--        closed_at once the deal is closed). Cancelled or active market orders are left out.
-- Columns: source_row, account (NULL), the bot_orders columns (price_text: the average price or rate exactly as
--          written, e.g. 3Commas' 20-decimal averages), _bad_column, _bad_reason.
-- Params: $time_format, $target_exchange (from --exchange, or NULL). Pairs are QUOTE_BASE (USDT_BTC) and are flipped to BASE/QUOTE.
WITH base AS (
    SELECT
        r.*,
        coalesce(r.threecommas_record, 'deal') AS rec,
        upper(split_part(trim(r.pair), '_', 1)) AS quote,
        upper(split_part(trim(r.pair), '_', 2)) AS base_asset_text,
        lower(trim(coalesce(r.strategy, 'long'))) AS strategy_text
    FROM raw AS r
),
legs AS (
    SELECT
        b.source_row, b.id, b.bot_id, b.account_id, b.pair, b.quote, b.base_asset_text,
        trim(b.order_id) AS order_id,
        b.order_created_at AS time_text,
        'created_at' AS time_column,
        lower(trim(b.order_type)) AS side_text,
        b.order_type AS side_raw,
        kt_dec(b.quantity) - coalesce(kt_dec(b.quantity_remaining), 0) AS quantity,
        coalesce(nullif(kt_dec(b.average_price), 0), kt_dec(b.rate)) AS price,
        CASE WHEN coalesce(kt_dec(b.average_price), 0) <> 0 THEN b.average_price ELSE b.rate END AS price_raw,
        b.quantity AS quantity_raw
    FROM base AS b
    WHERE b.rec = 'market_order'
      AND lower(trim(coalesce(b.status_string, 'filled'))) NOT IN ('cancelled', 'canceled', 'active', 'failed')
    UNION ALL
    SELECT
        b.source_row, b.id, b.bot_id, b.account_id, b.pair, b.quote, b.base_asset_text,
        CAST(NULL AS VARCHAR),
        b.created_at,
        'created_at',
        CASE b.strategy_text WHEN 'short' THEN 'sell' ELSE 'buy' END,
        b.strategy,
        CASE b.strategy_text WHEN 'short' THEN kt_dec(b.sold_amount) ELSE kt_dec(b.bought_amount) END,
        CASE b.strategy_text WHEN 'short' THEN kt_dec(b.sold_average_price) ELSE kt_dec(b.bought_average_price) END,
        CASE b.strategy_text WHEN 'short' THEN b.sold_average_price ELSE b.bought_average_price END,
        CASE b.strategy_text WHEN 'short' THEN b.sold_amount ELSE b.bought_amount END
    FROM base AS b
    WHERE b.rec = 'deal'
      AND coalesce(kt_dec(CASE b.strategy_text WHEN 'short' THEN b.sold_amount ELSE b.bought_amount END), 1) <> 0
    UNION ALL
    SELECT
        b.source_row, b.id, b.bot_id, b.account_id, b.pair, b.quote, b.base_asset_text,
        CAST(NULL AS VARCHAR),
        b.closed_at,
        'closed_at',
        CASE b.strategy_text WHEN 'short' THEN 'buy' ELSE 'sell' END,
        b.strategy,
        CASE b.strategy_text WHEN 'short' THEN kt_dec(b.bought_amount) ELSE kt_dec(b.sold_amount) END,
        CASE b.strategy_text WHEN 'short' THEN kt_dec(b.bought_average_price) ELSE kt_dec(b.sold_average_price) END,
        CASE b.strategy_text WHEN 'short' THEN b.bought_average_price ELSE b.sold_average_price END,
        CASE b.strategy_text WHEN 'short' THEN b.bought_amount ELSE b.sold_amount END
    FROM base AS b
    WHERE b.rec = 'deal' AND b.closed_at IS NOT NULL
      AND coalesce(kt_dec(CASE b.strategy_text WHEN 'short' THEN b.bought_amount ELSE b.sold_amount END), 0) <> 0
),
parsed AS (
    SELECT
        l.*,
        coalesce(try_strptime(trim(l.time_text), ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z']),
                 kt_time(l.time_text, $time_format, 0)) AS time_utc
    FROM legs AS l
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST($target_exchange AS VARCHAR) AS exchange,
    trim(p.account_id) AS platform_account_id,
    trim(p.id) AS deal_id,
    trim(p.bot_id) AS bot_id,
    p.order_id,
    CAST(p.time_utc AS TIMESTAMPTZ) AS time_utc,
    nullif(p.base_asset_text, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.quantity,
    p.price,
    kt_blank(p.price_raw) AS price_text,  -- the price as written: DECIMAL(38,18) rounds past 18 decimals
    CASE
        WHEN p.id IS NULL THEN 'id'
        WHEN p.quote = '' OR p.base_asset_text = '' OR NOT contains(p.pair, '_') THEN 'pair'
        WHEN p.time_utc IS NULL THEN p.time_column
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'order_type'
        WHEN p.quantity IS NULL AND p.quantity_raw IS NOT NULL THEN 'quantity'
    END AS _bad_column,
    CASE
        WHEN p.id IS NULL THEN 'the deal id is missing'
        WHEN p.quote = '' OR p.base_asset_text = '' OR NOT contains(p.pair, '_') THEN 'the pair ' || kt_quoted(p.pair) || ' is not QUOTE_BASE like USDT_BTC'
        WHEN p.time_utc IS NULL AND p.time_text IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time_text) || ' is not an ISO 8601 time like 2024-10-30T06:17:22.363Z'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the order type ' || kt_quoted(p.side_raw) || ' is neither BUY nor SELL'
        WHEN p.quantity IS NULL AND p.quantity_raw IS NOT NULL THEN 'the quantity ' || kt_quoted(p.quantity_raw) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
