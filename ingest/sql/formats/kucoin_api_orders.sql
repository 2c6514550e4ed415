-- kucoin_api_orders: the order records of a KuCoin REST response (GET /api/v1/orders) as canonical orders,
-- keeping the channel (API, WEB, IOS, ANDROID -> api, web, app) and the tags (partner:ccxt, broker tags).
-- Grain: one row per order record (kucoin_api_record = 'order'). Columns: source_row, account (NULL), the
--        orders columns, _bad_column, _bad_reason.
-- Params: none. createdAt is epoch milliseconds; a market order's price "0" means no limit price (NULL).
WITH parsed AS (
    SELECT
        r.source_row,
        r.id,
        r.symbol,
        r.side,
        r.type,
        r.price,
        r.size,
        r.createdat,
        try_cast(trim(r.createdat) AS BIGINT) AS epoch_ms,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 1)) AS base,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text,
        lower(trim(r.type)) AS type_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.size) AS size_value,
        kt_dec(r.dealsize) AS deal_size,
        kt_dec(r.dealfunds) AS deal_funds,
        kt_dec(r.fee) AS fee_value,
        upper(trim(r.feecurrency)) AS fee_asset_text,
        upper(trim(r.channel)) AS channel_text,
        trim(r.tags) AS tags,
        lower(trim(r.isactive)) AS is_active,
        lower(trim(r.cancelexist)) AS cancel_exist
    FROM raw AS r
    WHERE r.kucoin_api_record = 'order'
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    trim(p.id) AS order_id,
    CAST(make_timestamp(p.epoch_ms * 1000) AS TIMESTAMPTZ) AS created_utc,
    CAST(NULL AS TIMESTAMPTZ) AS updated_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.type_text AS order_type,
    CASE WHEN p.type_text = 'market' AND p.price_value = 0 THEN NULL ELSE p.price_value END AS order_price,
    CASE WHEN p.size_value = 0 THEN NULL ELSE p.size_value END AS order_quantity,
    p.deal_size AS filled_quantity,
    p.deal_funds AS filled_quote,
    CAST(NULL AS DECIMAL(38, 18)) AS avg_price,
    CAST(NULL AS VARCHAR) AS avg_price_text,
    p.fee_value AS fee,
    p.fee_asset_text AS fee_asset,
    CASE WHEN p.is_active = 'true' THEN 'active' WHEN p.cancel_exist = 'true' THEN 'cancelled' ELSE 'done' END
        AS status,
    CASE p.channel_text WHEN 'API' THEN 'api' WHEN 'WEB' THEN 'web' WHEN 'IOS' THEN 'app' WHEN 'ANDROID' THEN 'app'
                        WHEN 'APP' THEN 'app' ELSE lower(p.channel_text) END AS channel,
    nullif(p.tags, '') AS tags,
    CASE
        WHEN p.id IS NULL THEN 'id'
        WHEN p.epoch_ms IS NULL OR p.epoch_ms <= 0 THEN 'createdAt'
        WHEN p.base = '' OR p.quote = '' THEN 'symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'side'
        WHEN kt_bad(p.price) THEN 'price'
        WHEN kt_bad(p.size) THEN 'size'
    END AS _bad_column,
    CASE
        WHEN p.id IS NULL THEN 'the order id is missing'
        WHEN p.epoch_ms IS NULL OR p.epoch_ms <= 0 THEN 'the time ' || kt_quoted(p.createdat) || ' is not epoch milliseconds'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither buy nor sell'
        WHEN kt_bad(p.price) THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN kt_bad(p.size) THEN 'the size ' || kt_quoted(p.size) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
