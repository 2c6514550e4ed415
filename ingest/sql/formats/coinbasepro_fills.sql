-- coinbasepro_fills: Coinbase Pro fills report (portfolio,trade id,product,side,created at,size,size unit,price,
-- fee,total,price/fee/total unit) as canonical trades.
-- Grain: one row per data row (one fill). Columns: source_row, account (NULL), the trades columns,
--        _bad_column, _bad_reason.
-- Params: $time_format. The quote amount is -total - fee for a buy and total + fee for a sell.
WITH parsed AS (
    SELECT
        r.source_row,
        r.trade_id,
        r.product,
        r.side,
        r.created_at,
        r.size,
        r.size_unit,
        r.price,
        r.fee,
        r.total,
        r.price_fee_total_unit,
        kt_time(r.created_at, $time_format, 0) AS time_utc,
        upper(trim(split_part(r.product, '-', 1))) AS base,
        upper(trim(split_part(r.product, '-', 2))) AS quote,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.size) AS size_value,
        kt_dec(r.price) AS price_value,
        kt_dec(r.fee) AS fee_value,
        kt_dec(r.total) AS total_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.size_value AS quantity,
    CASE WHEN p.side_text = 'buy' THEN -p.total_value - coalesce(p.fee_value, 0)
         ELSE p.total_value + coalesce(p.fee_value, 0) END AS quote_quantity,
    p.fee_value AS fee,
    CASE WHEN p.fee_value IS NOT NULL THEN upper(trim(p.price_fee_total_unit)) END AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    trim(p.trade_id) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.time_utc IS NULL THEN 'created at'
        WHEN p.base = '' OR p.quote = '' THEN 'product'
        WHEN upper(trim(p.size_unit)) <> p.base THEN 'size unit'
        WHEN upper(trim(p.price_fee_total_unit)) <> p.quote THEN 'price/fee/total unit'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'side'
        WHEN p.size_value IS NULL OR p.size_value <= 0 THEN 'size'
        WHEN p.price_value IS NULL OR p.price_value < 0 THEN 'price'
        WHEN kt_bad(p.fee) THEN 'fee'
        WHEN p.total_value IS NULL THEN 'total'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.created_at IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.created_at) || ' is not an ISO 8601 time like 2022-12-26T22:31:04.817Z'
        WHEN p.base = '' OR p.quote = '' THEN 'the product ' || kt_quoted(p.product) || ' is not BASE-QUOTE'
        WHEN upper(trim(p.size_unit)) <> p.base THEN 'the size unit ' || kt_quoted(p.size_unit) || ' is not the base asset ' || p.base
        WHEN upper(trim(p.price_fee_total_unit)) <> p.quote THEN 'the unit ' || kt_quoted(p.price_fee_total_unit) || ' is not the quote asset ' || p.quote
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither BUY nor SELL'
        WHEN p.size_value IS NULL OR p.size_value <= 0 THEN 'the size ' || kt_quoted(p.size) || ' is not a positive number'
        WHEN p.price_value IS NULL OR p.price_value < 0 THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
        WHEN p.total_value IS NULL THEN 'the total ' || kt_quoted(p.total) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
