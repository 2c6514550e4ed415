-- ftx_trades: FTX trade history (web: ID,Time,Market,Side,Order Type,Size,Price,Total,Fee,Fee Currency[,TWAP];
-- API: id,time,market,side,type,size,price,total,fee,feeCurrency) as canonical trades.
-- Grain: one row per data row of the file (one fill).
-- Columns: source_row, account (NULL: the export carries no account id), the trades columns, _bad_column,
--          _bad_reason (NULL when the row is good).
-- Params: $time_format (naive or --dayfirst times, read as UTC). Times are ISO 8601 with an offset; a market without '/' is a
--         USD-settled future (BTC-PERP -> base BTC-PERP, quote USD).
WITH parsed AS (
    SELECT
        r.source_row,
        r.id,
        r.time,
        r.market,
        r.side,
        r.price,
        r.size,
        r.total,
        r.fee,
        coalesce(r.fee_currency, r.feecurrency) AS fee_currency_text,
        coalesce(try_strptime(trim(r.time), ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z']),
                 kt_time(r.time, $time_format, 0)) AS time_utc,
        upper(trim(r.market)) AS market_text,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.size) AS size_value,
        kt_dec(r.total) AS total_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
),
split AS (
    SELECT
        p.*,
        CASE WHEN contains(p.market_text, '/') THEN split_part(p.market_text, '/', 1) ELSE p.market_text END
            AS base,
        CASE WHEN contains(p.market_text, '/') THEN split_part(p.market_text, '/', 2) ELSE 'USD' END AS quote
    FROM parsed AS p
)
SELECT
    s.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(s.time_utc AS TIMESTAMPTZ) AS time_utc,
    nullif(s.base, '') AS base_asset,
    nullif(s.quote, '') AS quote_asset,
    s.side_text AS side,
    s.price_value AS price,
    s.size_value AS quantity,
    s.total_value AS quote_quantity,
    s.fee_value AS fee,
    upper(trim(s.fee_currency_text)) AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    trim(s.id) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN s.time_utc IS NULL THEN 'Time'
        WHEN coalesce(s.base, '') = '' OR coalesce(s.quote, '') = '' THEN 'Market'
        WHEN s.side_text IS NULL OR s.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN s.size_value IS NULL OR s.size_value <= 0 THEN 'Size'
        WHEN s.price_value IS NULL OR s.price_value < 0 THEN 'Price'
        WHEN s.total_value IS NULL THEN 'Total'
        WHEN kt_bad(s.fee) THEN 'Fee'
        WHEN s.fee_value IS NOT NULL AND s.fee_value <> 0 AND s.fee_currency_text IS NULL THEN 'Fee Currency'
    END AS _bad_column,
    CASE
        WHEN s.time_utc IS NULL AND s.time IS NULL THEN 'the time is missing'
        WHEN s.time_utc IS NULL THEN 'the time ' || kt_quoted(s.time) || ' is not an ISO 8601 time with an offset like 2022-10-20T22:41:07.412855+00:00'
        WHEN coalesce(s.base, '') = '' OR coalesce(s.quote, '') = '' THEN 'the market ' || kt_quoted(s.market) || ' is not BASE/QUOTE or a future'
        WHEN s.side_text IS NULL OR s.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(s.side) || ' is neither buy nor sell'
        WHEN s.size_value IS NULL OR s.size_value <= 0 THEN 'the size ' || kt_quoted(s.size) || ' is not a positive number'
        WHEN s.price_value IS NULL OR s.price_value < 0 THEN 'the price ' || kt_quoted(s.price) || ' is not a number'
        WHEN s.total_value IS NULL THEN 'the total ' || kt_quoted(s.total) || ' is not a number'
        WHEN kt_bad(s.fee) THEN 'the fee ' || kt_quoted(s.fee) || ' is not a number'
        WHEN s.fee_value IS NOT NULL AND s.fee_value <> 0 AND s.fee_currency_text IS NULL THEN 'the fee has no currency'
    END AS _bad_reason
FROM split AS s
