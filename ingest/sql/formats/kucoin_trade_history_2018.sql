-- kucoin_trade_history_2018: KuCoin trade histories before 2020, in three layouts
-- (oid,symbol,dealPrice,dealValue,amount,fee,direction,createdDate,[,]
--  uid,symbol,order_type,price,amount_coin,direction,funds,fee,created_at
--  uid,symbol,direction,deal_price,amount,deal_value,created_at) as canonical trades.
-- Grain: one row per data row (one fill). Times carry no zone: Asia/Singapore (UTC+8).
-- Columns: source_row, account (NULL: `uid` is not documented as the account), the trades columns,
--          _bad_column, _bad_reason.
-- The spec maps each layout's columns to one set of names: order_ref (oid), symbol (BASE-QUOTE), side
-- (direction), price, quantity (amount, amount_coin), quote (dealValue, funds, deal_value), fee (in the
-- quote asset, as the parser the layouts are known from reads it; absent in the oldest), time.
-- Params: $time_format, $offset_minutes, $time_header, $h_symbol, $h_side, $h_price, $h_quantity,
--         $h_quote, $h_fee (the file's own column names).
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.time, $time_format, $offset_minutes) AS t,
        upper(trim(split_part(r.symbol, '-', 1))) AS base,
        upper(trim(split_part(r.symbol, '-', 2))) AS quote_text,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.quantity) AS quantity_value,
        kt_dec(r.quote) AS quote_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote_text, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.quantity_value AS quantity,
    p.quote_value AS quote_quantity,
    p.fee_value AS fee,
    CASE WHEN p.fee_value IS NOT NULL THEN nullif(p.quote_text, '') END AS fee_asset,
    kt_blank(p.order_ref) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.t IS NULL THEN $time_header
        WHEN p.base = '' OR p.quote_text = '' THEN $h_symbol
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN $h_side
        WHEN p.price_value IS NULL THEN $h_price
        WHEN p.quantity_value IS NULL THEN $h_quantity
        WHEN p.quote_value IS NULL THEN $h_quote
        WHEN kt_bad(p.fee) THEN $h_fee
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2019-03-14 09:21:05'
        WHEN p.base = '' OR p.quote_text = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the direction ' || kt_quoted(p.side) || ' is neither buy nor sell'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.quantity_value IS NULL THEN 'the amount ' || kt_quoted(p.quantity) || ' is not a number'
        WHEN p.quote_value IS NULL THEN 'the value ' || kt_quoted(p.quote) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
