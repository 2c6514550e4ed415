-- kucoin_trade_history_legacy: KuCoin trade history of 2019
-- (Time,Pair,Side,FilledPrice,FilledPriceCoin,Amount,AmountCoin,Volume,VolumeCoin,Fee,FeeCoin;
-- dates 2019/05/11 10:27:17, pair KCS/BTC) as canonical trades.
-- Grain: one row per data row (one fill). Times carry no zone: Asia/Singapore (UTC+8).
-- Columns: source_row, account (NULL: no UID), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.time, $time_format, $offset_minutes) AS t,
        upper(trim(split_part(r.pair, '/', 1))) AS base,
        upper(trim(split_part(r.pair, '/', 2))) AS quote,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.filledprice) AS price_value,
        kt_dec(r.amount) AS amount_value,
        kt_dec(r.volume) AS volume_value,
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
    p.amount_value AS quantity,
    p.volume_value AS quote_quantity,
    p.fee_value AS fee,
    upper(kt_blank(p.feecoin)) AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.t IS NULL THEN 'Time'
        WHEN p.base = '' OR p.quote = '' THEN 'Pair'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN p.price_value IS NULL THEN 'FilledPrice'
        WHEN upper(trim(p.filledpricecoin)) <> p.quote THEN 'FilledPriceCoin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN upper(trim(p.amountcoin)) <> p.base THEN 'AmountCoin'
        WHEN p.volume_value IS NULL THEN 'Volume'
        WHEN upper(trim(p.volumecoin)) <> p.quote THEN 'VolumeCoin'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2019/05/11 10:27:17'
        WHEN p.base = '' OR p.quote = '' THEN 'the pair ' || kt_quoted(p.pair) || ' is not BASE/QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither Buy nor Sell'
        WHEN p.price_value IS NULL THEN 'the filled price ' || kt_quoted(p.filledprice) || ' is not a number'
        WHEN upper(trim(p.filledpricecoin)) <> p.quote THEN 'the price coin ' || kt_quoted(p.filledpricecoin) || ' is not the quote of the pair'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN upper(trim(p.amountcoin)) <> p.base THEN 'the amount coin ' || kt_quoted(p.amountcoin) || ' is not the base of the pair'
        WHEN p.volume_value IS NULL THEN 'the volume ' || kt_quoted(p.volume) || ' is not a number'
        WHEN upper(trim(p.volumecoin)) <> p.quote THEN 'the volume coin ' || kt_quoted(p.volumecoin) || ' is not the quote of the pair'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
