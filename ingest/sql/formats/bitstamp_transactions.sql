-- bitstamp_transactions: Bitstamp transactions export (Type,Datetime,Account,Amount,Value,Rate,Fee,Sub Type) as
-- canonical trades: the Market and Limit rows (deposits and withdrawals are not trades).
-- Grain: one row per trade row of the file. Columns: source_row, account (NULL), the trades columns,
--        _bad_column, _bad_reason.
-- Params: $time_format (for re-saved files read with --dayfirst). "Sept. 14, 2022, 1:09 PM" is UTC.
WITH parsed AS (
    SELECT
        r.source_row,
        r.type,
        r.datetime,
        r.account AS sub_account,
        r.amount,
        r.value,
        r.rate,
        r.fee,
        r.sub_type,
        coalesce(
            try_strptime(regexp_replace(trim(r.datetime), '^([A-Za-z]{3})[A-Za-z]*\.?', '\1'), '%b %d, %Y, %I:%M %p'),
            kt_time(r.datetime, $time_format, 0)) AS time_utc,
        kt_dec(split_part(trim(r.amount), ' ', 1)) AS amount_value,
        upper(split_part(trim(r.amount), ' ', 2)) AS base,
        kt_dec(split_part(trim(r.value), ' ', 1)) AS value_value,
        upper(split_part(trim(r.value), ' ', 2)) AS quote,
        kt_dec(split_part(trim(r.rate), ' ', 1)) AS rate_value,
        upper(split_part(trim(r.rate), ' ', 2)) AS rate_asset,
        kt_dec(split_part(trim(r.fee), ' ', 1)) AS fee_value,
        nullif(upper(split_part(trim(r.fee), ' ', 2)), '') AS fee_asset_text,
        lower(trim(r.sub_type)) AS side_text
    FROM raw AS r
    WHERE lower(trim(coalesce(r.type, ''))) IN ('market', 'limit', '')
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(p.time_utc AS TIMESTAMPTZ) AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.rate_value AS price,
    p.amount_value AS quantity,
    p.value_value AS quote_quantity,
    p.fee_value AS fee,
    p.fee_asset_text AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.type IS NULL THEN 'Type'
        WHEN p.time_utc IS NULL THEN 'Datetime'
        WHEN p.amount_value IS NULL OR p.amount_value <= 0 OR p.base = '' THEN 'Amount'
        WHEN p.value_value IS NULL OR p.quote = '' THEN 'Value'
        WHEN p.rate_value IS NULL OR p.rate_asset <> p.quote THEN 'Rate'
        WHEN kt_bad(split_part(trim(p.fee), ' ', 1)) THEN 'Fee'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Sub Type'
    END AS _bad_column,
    CASE
        WHEN p.type IS NULL THEN 'the type is missing'
        WHEN p.time_utc IS NULL AND p.datetime IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.datetime) || ' is not a date like "Jan. 28, 2022, 12:13 AM"'
        WHEN p.amount_value IS NULL OR p.amount_value <= 0 OR p.base = '' THEN 'the amount ' || kt_quoted(p.amount) || ' is not a positive number followed by an asset'
        WHEN p.value_value IS NULL OR p.quote = '' THEN 'the value ' || kt_quoted(p.value) || ' is not a number followed by an asset'
        WHEN p.rate_value IS NULL OR p.rate_asset <> p.quote THEN 'the rate ' || kt_quoted(p.rate) || ' is not a number followed by ' || p.quote
        WHEN kt_bad(split_part(trim(p.fee), ' ', 1)) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the sub type ' || kt_quoted(p.sub_type) || ' is neither Buy nor Sell'
    END AS _bad_reason
FROM parsed AS p
