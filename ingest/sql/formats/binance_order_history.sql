-- binance_order_history: Binance Spot "Order History"
-- (Date(UTC)|Time,OrderNo,Pair,Type,Side,Order Price,Order Amount,Time,Executed,Average Price,
--  Trading total,Status) as canonical orders. No fee column: the export has none.
-- Grain: one row per data row (one order).
-- Columns: source_row, account (NULL: no UID), the orders columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (from the header, or the "(UTC+2)" of the file name),
--         $time_header, $pair_regex.
WITH parsed AS (
    SELECT
        r.*,
        regexp_extract(upper(trim(r.pair)), $pair_regex, 1) AS base,
        regexp_extract(upper(trim(r.pair)), $pair_regex, 2) AS quote,
        kt_time(r.time, $time_format, $offset_minutes) AS created,
        kt_time(r.time_2, $time_format, $offset_minutes) AS updated,
        lower(trim(r.side)) AS side_text
    FROM raw AS r
),
amounts AS (
    SELECT
        p.*,
        kt_strip_asset(p.order_price, p.quote) AS order_price_value,
        kt_strip_asset(p.order_amount, p.base) AS order_amount_value,
        kt_strip_asset(p.executed, p.base) AS executed_value,
        kt_strip_asset(p.average_price, p.quote) AS average_price_value,
        kt_strip_asset(p.trading_total, p.quote) AS total_value
    FROM parsed AS p
)
SELECT
    a.source_row,
    CAST(NULL AS VARCHAR) AS account,
    kt_blank(a.orderno) AS order_id,
    a.created AS created_utc,
    a.updated AS updated_utc,
    nullif(a.base, '') AS base_asset,
    nullif(a.quote, '') AS quote_asset,
    a.side_text AS side,
    lower(kt_blank(a.type)) AS order_type,
    a.order_price_value AS order_price,
    a.order_amount_value AS order_quantity,
    a.executed_value AS filled_quantity,
    a.total_value AS filled_quote,
    a.average_price_value AS avg_price,
    kt_blank(a.average_price) AS avg_price_text,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS fee_asset,
    lower(kt_blank(a.status)) AS status,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS tags,
    CASE
        WHEN a.created IS NULL THEN $time_header
        WHEN a.time_2 IS NOT NULL AND a.updated IS NULL THEN 'Time'
        WHEN a.base = '' THEN 'Pair'
        WHEN a.side_text IS NULL OR a.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN a.order_price IS NOT NULL AND a.order_price_value IS NULL AND upper(trim(a.order_price)) <> 'MARKET' THEN 'Order Price'
        WHEN a.order_amount IS NOT NULL AND a.order_amount_value IS NULL THEN 'Order Amount'
        WHEN a.executed IS NOT NULL AND a.executed_value IS NULL THEN 'Executed'
        WHEN a.average_price IS NOT NULL AND a.average_price_value IS NULL THEN 'Average Price'
        WHEN a.trading_total IS NOT NULL AND a.total_value IS NULL THEN 'Trading total'
    END AS _bad_column,
    CASE
        WHEN a.created IS NULL THEN 'the order time ' || kt_quoted(a.time) || ' is not a date and time of the form 2021-06-01 10:00:00'
        WHEN a.time_2 IS NOT NULL AND a.updated IS NULL THEN 'the time ' || kt_quoted(a.time_2) || ' is not a date and time'
        WHEN a.base = '' THEN 'the pair ' || kt_quoted(a.pair) || ' does not end with a known quote asset'
        WHEN a.side_text IS NULL OR a.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(a.side) || ' is neither BUY nor SELL'
        WHEN a.order_price IS NOT NULL AND a.order_price_value IS NULL AND upper(trim(a.order_price)) <> 'MARKET' THEN 'the order price ' || kt_quoted(a.order_price) || ' is not a number'
        WHEN a.order_amount IS NOT NULL AND a.order_amount_value IS NULL THEN 'the order amount ' || kt_quoted(a.order_amount) || ' is not a number'
        WHEN a.executed IS NOT NULL AND a.executed_value IS NULL THEN 'the executed amount ' || kt_quoted(a.executed) || ' is not a number'
        WHEN a.average_price IS NOT NULL AND a.average_price_value IS NULL THEN 'the average price ' || kt_quoted(a.average_price) || ' is not a number'
        WHEN a.trading_total IS NOT NULL AND a.total_value IS NULL THEN 'the trading total ' || kt_quoted(a.trading_total) || ' is not a number'
    END AS _bad_reason
FROM amounts AS a
