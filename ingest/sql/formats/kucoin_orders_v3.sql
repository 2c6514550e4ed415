-- kucoin_orders_v3: KuCoin order history v3 (orderCreatedAt,id,clientOid,symbol,side,type,stopPrice,price,
-- size,dealSize,dealFunds,averagePrice,fee,feeCurrency,remark,tags,orderStatus,) as canonical orders.
-- `tags` keeps the broker tag (e.g. partner:ccxt), a sign that an order came through the API.
-- Grain: one row per data row (one order). Times carry no zone: Asia/Singapore (UTC+8).
-- Columns: source_row, account (NULL: no UID), the orders columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.ordercreatedat, $time_format, $offset_minutes) AS created,
        upper(split_part(trim(r.symbol), '-', 1)) AS base,
        upper(split_part(trim(r.symbol), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    kt_blank(p.id) AS order_id,
    p.created AS created_utc,
    CAST(NULL AS TIMESTAMPTZ) AS updated_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    lower(kt_blank(p.type)) AS order_type,
    kt_dec(p.price) AS order_price,
    kt_dec(p.size) AS order_quantity,
    kt_dec(p.dealsize) AS filled_quantity,
    kt_dec(p.dealfunds) AS filled_quote,
    kt_dec(p.averageprice) AS avg_price,
    kt_blank(p.averageprice) AS avg_price_text,
    kt_dec(p.fee) AS fee,
    upper(kt_blank(p.feecurrency)) AS fee_asset,
    lower(kt_blank(p.orderstatus)) AS status,
    CAST(NULL AS VARCHAR) AS channel,
    kt_blank(p.tags) AS tags,
    CASE
        WHEN p.created IS NULL THEN 'orderCreatedAt'
        WHEN p.base = '' OR p.quote = '' THEN 'symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'side'
        WHEN kt_bad(p.price) THEN 'price'
        WHEN kt_bad(p.size) THEN 'size'
        WHEN kt_bad(p.dealsize) THEN 'dealSize'
        WHEN kt_bad(p.dealfunds) THEN 'dealFunds'
        WHEN kt_bad(p.averageprice) THEN 'averagePrice'
        WHEN kt_bad(p.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN p.created IS NULL THEN 'the time ' || kt_quoted(p.ordercreatedat) || ' is not a date and time of the form 2022-04-28 12:36:00'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither buy nor sell'
        WHEN kt_bad(p.price) THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN kt_bad(p.size) THEN 'the size ' || kt_quoted(p.size) || ' is not a number'
        WHEN kt_bad(p.dealsize) THEN 'the deal size ' || kt_quoted(p.dealsize) || ' is not a number'
        WHEN kt_bad(p.dealfunds) THEN 'the deal funds ' || kt_quoted(p.dealfunds) || ' is not a number'
        WHEN kt_bad(p.averageprice) THEN 'the average price ' || kt_quoted(p.averageprice) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
