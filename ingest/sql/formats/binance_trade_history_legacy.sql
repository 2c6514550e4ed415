-- binance_trade_history_legacy: Binance "Trade History" of 2018-2019
-- (Date(UTC),Market,Type,Price,Amount,Total,Fee,Fee Coin) as canonical trades.
-- Grain: one row per data row of the file (one fill).
-- Columns: source_row, account (NULL: no UID in the export), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes, $time_header, $pair_regex.
WITH parsed AS (
    SELECT
        r.*,
        regexp_extract(upper(trim(r.market)), $pair_regex, 1) AS base,
        regexp_extract(upper(trim(r.market)), $pair_regex, 2) AS quote,
        kt_time(r.date, $time_format, $offset_minutes) AS t,
        lower(trim(r.type)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.amount) AS amount_value,
        kt_dec(r.total) AS total_value,
        kt_dec(r.fee) AS fee_value,
        upper(kt_blank(r.fee_coin)) AS fee_coin_text
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
    p.amount_value AS quantity,
    p.total_value AS quote_quantity,
    p.fee_value AS fee,
    p.fee_coin_text AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.t IS NULL THEN $time_header
        WHEN p.base = '' THEN 'Market'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Type'
        WHEN p.price_value IS NULL THEN 'Price'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.total_value IS NULL THEN 'Total'
        WHEN kt_bad(p.fee) THEN 'Fee'
        WHEN p.fee_value IS NOT NULL AND p.fee_coin_text IS NULL THEN 'Fee Coin'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 2019-05-11 10:27:17'
        WHEN p.base = '' THEN 'the market ' || kt_quoted(p.market) || ' does not end with a known quote asset'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the type ' || kt_quoted(p.type) || ' is neither BUY nor SELL'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.total_value IS NULL THEN 'the total ' || kt_quoted(p.total) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
        WHEN p.fee_value IS NOT NULL AND p.fee_coin_text IS NULL THEN 'the fee has no fee coin'
    END AS _bad_reason
FROM parsed AS p
