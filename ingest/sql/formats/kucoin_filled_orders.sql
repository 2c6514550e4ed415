-- kucoin_filled_orders: KuCoin Spot Orders / Filled Orders export
-- (UID,Account Type,Order ID,Order Time(UTC+hh:mm),Symbol,Side,Order Type,Order Price,Order Amount,
--  Avg. Filled Price,Filled Amount,Filled Volume,Filled Volume (USDT),Filled Time(UTC+hh:mm),Fee,
--  Fee Currency[,Tax],Status[,Account Mode]) as canonical orders (avg price kept as exported too).
-- Grain: one row per data row (one order). Zone from the header; none = Asia/Singapore.
-- Columns: source_row, account (UID), the orders columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.order_time, $time_format, $offset_minutes) AS created,
        kt_time(r.filled_time, $time_format, $offset_minutes) AS filled,
        upper(split_part(trim(r.symbol), '-', 1)) AS base,
        upper(split_part(trim(r.symbol), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CASE WHEN contains(p.uid, '*') THEN NULL ELSE kt_blank(p.uid) END AS account,  -- a masked UID (*****3866) names no account
    kt_blank(p.order_id) AS order_id,
    p.created AS created_utc,
    p.filled AS updated_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    lower(kt_blank(p.order_type)) AS order_type,
    kt_dec(p.order_price) AS order_price,
    kt_dec(p.order_amount) AS order_quantity,
    kt_dec(p.filled_amount) AS filled_quantity,
    kt_dec(p.filled_volume) AS filled_quote,
    kt_dec(p.avg_filled_price) AS avg_price,
    kt_blank(p.avg_filled_price) AS avg_price_text,
    kt_dec(p.fee) AS fee,
    upper(kt_blank(p.fee_currency)) AS fee_asset,
    lower(kt_blank(p.status)) AS status,
    CAST(NULL AS VARCHAR) AS channel,
    nullif(concat_ws(';', 'account_type=' || kt_blank(p.account_type), 'account_mode=' || kt_blank(p.account_mode)), '') AS tags,
    CASE
        WHEN p.uid IS NULL THEN 'UID'
        WHEN p.created IS NULL THEN 'Order Time'
        WHEN p.filled_time IS NOT NULL AND p.filled IS NULL THEN 'Filled Time'
        WHEN p.base = '' OR p.quote = '' THEN 'Symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN kt_bad(p.order_price) THEN 'Order Price'
        WHEN kt_bad(p.order_amount) THEN 'Order Amount'
        WHEN kt_bad(p.avg_filled_price) THEN 'Avg. Filled Price'
        WHEN kt_bad(p.filled_amount) THEN 'Filled Amount'
        WHEN kt_bad(p.filled_volume) THEN 'Filled Volume'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.uid IS NULL THEN 'the UID is missing'
        WHEN p.created IS NULL THEN 'the order time ' || kt_quoted(p.order_time) || ' is not a date and time of the form 2024-01-31 14:54:26'
        WHEN p.filled_time IS NOT NULL AND p.filled IS NULL THEN 'the filled time ' || kt_quoted(p.filled_time) || ' is not a date and time'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither BUY nor SELL'
        WHEN kt_bad(p.order_price) THEN 'the order price ' || kt_quoted(p.order_price) || ' is not a number'
        WHEN kt_bad(p.order_amount) THEN 'the order amount ' || kt_quoted(p.order_amount) || ' is not a number'
        WHEN kt_bad(p.avg_filled_price) THEN 'the average filled price ' || kt_quoted(p.avg_filled_price) || ' is not a number'
        WHEN kt_bad(p.filled_amount) THEN 'the filled amount ' || kt_quoted(p.filled_amount) || ' is not a number'
        WHEN kt_bad(p.filled_volume) THEN 'the filled volume ' || kt_quoted(p.filled_volume) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
