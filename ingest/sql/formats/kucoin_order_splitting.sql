-- kucoin_order_splitting: KuCoin order-splitting (fills) export
-- (UID,Account Type,Order ID,Symbol,Side,Order Type,Avg. Filled Price,Filled Amount,Filled Volume,
--  Filled Volume (USDT),Filled Time(UTC+hh:mm),Fee,Tax,Maker/Taker,Fee Currency[,Account Mode]) as trades.
-- Grain: one row per data row (one fill). Zone from the header; none = Asia/Singapore.
-- Columns: source_row, account (UID), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.filled_time, $time_format, $offset_minutes) AS t,
        upper(split_part(trim(r.symbol), '-', 1)) AS base,
        upper(split_part(trim(r.symbol), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.avg_filled_price) AS price_value,
        kt_dec(r.filled_amount) AS amount_value,
        kt_dec(r.filled_volume) AS volume_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CASE WHEN contains(p.uid, '*') THEN NULL ELSE kt_blank(p.uid) END AS account,  -- a masked UID (*****3866) names no account
    p.t AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.amount_value AS quantity,
    p.volume_value AS quote_quantity,
    p.fee_value AS fee,
    upper(kt_blank(p.fee_currency)) AS fee_asset,
    kt_blank(p.order_id) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    lower(kt_blank(p.maker_taker)) AS liquidity,
    CASE
        WHEN p.uid IS NULL THEN 'UID'
        WHEN p.t IS NULL THEN 'Filled Time'
        WHEN p.base = '' OR p.quote = '' THEN 'Symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN p.price_value IS NULL THEN 'Avg. Filled Price'
        WHEN p.amount_value IS NULL THEN 'Filled Amount'
        WHEN p.volume_value IS NULL THEN 'Filled Volume'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.uid IS NULL THEN 'the UID is missing'
        WHEN p.t IS NULL THEN 'the filled time ' || kt_quoted(p.filled_time) || ' is not a date and time of the form 2024-01-31 14:55:54'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither BUY nor SELL'
        WHEN p.price_value IS NULL THEN 'the average filled price ' || kt_quoted(p.avg_filled_price) || ' is not a number'
        WHEN p.amount_value IS NULL THEN 'the filled amount ' || kt_quoted(p.filled_amount) || ' is not a number'
        WHEN p.volume_value IS NULL THEN 'the filled volume ' || kt_quoted(p.filled_volume) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
