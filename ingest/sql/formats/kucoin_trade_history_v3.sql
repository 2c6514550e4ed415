-- kucoin_trade_history_v3: KuCoin trade history v3
-- (tradeCreatedAt,orderId,symbol,side,price,size,funds,fee,liquidity,feeCurrency,orderType[,]; also the
-- minimal tradeCreatedAt,symbol,side,price,size,funds,fee,feeCurrency) as canonical trades.
-- Grain: one row per data row (one fill). Times carry no zone: Asia/Singapore (UTC+8) unless told.
-- Columns: source_row, account (NULL: no UID), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes, $time_header.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.tradecreatedat, $time_format, $offset_minutes) AS t,
        upper(split_part(trim(r.symbol), '-', 1)) AS base,
        upper(split_part(trim(r.symbol), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.size) AS size_value,
        kt_dec(r.funds) AS funds_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.size_value AS quantity,
    p.funds_value AS quote_quantity,
    p.fee_value AS fee,
    upper(kt_blank(p.feecurrency)) AS fee_asset,
    kt_blank(p.orderid) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    lower(kt_blank(p.liquidity)) AS liquidity,
    CASE
        WHEN p.t IS NULL THEN 'tradeCreatedAt'
        WHEN p.base = '' OR p.quote = '' THEN 'symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'side'
        WHEN p.price_value IS NULL THEN 'price'
        WHEN p.size_value IS NULL THEN 'size'
        WHEN p.funds_value IS NULL THEN 'funds'
        WHEN kt_bad(p.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.tradecreatedat) || ' is not a date and time of the form 2022-04-28 12:36:00'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither buy nor sell'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.size_value IS NULL THEN 'the size ' || kt_quoted(p.size) || ' is not a number'
        WHEN p.funds_value IS NULL THEN 'the funds ' || kt_quoted(p.funds) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
