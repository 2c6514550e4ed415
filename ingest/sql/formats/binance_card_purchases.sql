-- binance_card_purchases: Binance "Buy Crypto" history (Date(UTC),Method,Amount,Price,Fees,Final Amount,Status,
-- Transaction ID) as canonical trades: one buy of Final Amount per completed purchase.
-- Grain: one row per data row whose Status is Completed (failed or refunded purchases moved nothing).
-- Columns: source_row, account (NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (zone of the Date(UTC+N) header), $time_header.
WITH parsed AS (
    SELECT
        r.source_row,
        r.date,
        r.method,
        r.amount,
        r.price,
        r.fees,
        r.final_amount,
        r.status,
        r.transaction_id,
        kt_time(r.date, $time_format, $offset_minutes) AS time_utc,
        kt_dec(split_part(trim(r.amount), ' ', 1)) AS spent,
        upper(split_part(trim(r.amount), ' ', 2)) AS spent_asset,
        kt_dec(split_part(trim(r.price), ' ', 1)) AS price_value,
        upper(split_part(split_part(trim(r.price), ' ', 2), '/', 1)) AS base,
        upper(split_part(split_part(trim(r.price), ' ', 2), '/', 2)) AS quote,
        kt_dec(split_part(trim(r.fees), ' ', 1)) AS fee_value,
        upper(split_part(trim(r.fees), ' ', 2)) AS fee_asset_text,
        kt_dec(split_part(trim(r.final_amount), ' ', 1)) AS got,
        upper(split_part(trim(r.final_amount), ' ', 2)) AS got_asset
    FROM raw AS r
    WHERE lower(trim(coalesce(r.status, ''))) NOT IN ('failed', 'refunded', 'cancelled', 'canceled', 'pending',
                                                      'processing', 'expired')
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    'buy' AS side,
    p.price_value AS price,
    p.got AS quantity,
    p.spent - coalesce(p.fee_value, 0) AS quote_quantity,
    p.fee_value AS fee,
    nullif(p.fee_asset_text, '') AS fee_asset,
    trim(p.transaction_id) AS order_id,
    trim(p.transaction_id) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.time_utc IS NULL THEN $time_header
        WHEN lower(trim(coalesce(p.status, ''))) <> 'completed' THEN 'Status'
        WHEN p.price_value IS NULL OR p.base = '' OR p.quote = '' THEN 'Price'
        WHEN p.spent IS NULL OR p.spent_asset <> p.quote THEN 'Amount'
        WHEN p.got IS NULL OR p.got <= 0 OR p.got_asset <> p.base THEN 'Final Amount'
        WHEN kt_bad(split_part(trim(p.fees), ' ', 1)) OR (p.fee_value IS NOT NULL AND p.fee_asset_text <> p.quote) THEN 'Fees'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.date IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 2021-01-30 23:59:59'
        WHEN lower(trim(coalesce(p.status, ''))) <> 'completed' THEN 'the status ' || kt_quoted(p.status) || ' is not Completed, Failed or Refunded'
        WHEN p.price_value IS NULL OR p.base = '' OR p.quote = '' THEN 'the price ' || kt_quoted(p.price) || ' is not a number followed by ASSET/FIAT'
        WHEN p.spent IS NULL OR p.spent_asset <> p.quote THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number followed by ' || p.quote
        WHEN p.got IS NULL OR p.got <= 0 OR p.got_asset <> p.base THEN 'the final amount ' || kt_quoted(p.final_amount) || ' is not a positive number followed by ' || p.base
        WHEN kt_bad(split_part(trim(p.fees), ' ', 1)) OR (p.fee_value IS NOT NULL AND p.fee_asset_text <> p.quote) THEN 'the fees ' || kt_quoted(p.fees) || ' are not a number followed by ' || p.quote
    END AS _bad_reason
FROM parsed AS p
