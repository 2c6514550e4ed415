-- bitstamp_transactions_2025: Bitstamp transactions export, 2025 layout (ID,Account,Type,Subtype,Datetime,
-- Amount,Amount currency,Value,Value currency,Rate,Rate currency,Fee,Fee currency,Order ID) as canonical
-- trades: the Market and Limit rows (deposits, withdrawals and transfers are not trades; the companion
-- bitstamp_transactions_2025_ledger keeps every row).
-- Grain: one row per trade row of the file. Amount is the base (unsigned), Value the quote, Rate the price,
--        Subtype the side; Datetime is ISO 8601 in UTC (2025-02-03T09:30:05Z); Order ID may be empty.
-- Columns: source_row, account (NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.datetime, $time_format, 0) AS time_utc,
        kt_dec(r.amount) AS amount_value,
        upper(kt_blank(r.amount_currency)) AS base,
        kt_dec(r.value) AS value_value,
        upper(kt_blank(r.value_currency)) AS quote,
        kt_dec(r.rate) AS rate_value,
        upper(kt_blank(r.rate_currency)) AS rate_asset,
        kt_dec(r.fee) AS fee_value,
        upper(kt_blank(r.fee_currency)) AS fee_asset_text,
        lower(trim(r.subtype)) AS side_text
    FROM raw AS r
    WHERE lower(trim(coalesce(r.type, ''))) IN ('market', 'limit', '')
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    p.base AS base_asset,
    p.quote AS quote_asset,
    p.side_text AS side,
    p.rate_value AS price,
    p.amount_value AS quantity,
    p.value_value AS quote_quantity,
    p.fee_value AS fee,
    p.fee_asset_text AS fee_asset,
    kt_blank(p.order_id) AS order_id,
    kt_blank(p.id) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.type IS NULL THEN 'Type'
        WHEN p.time_utc IS NULL THEN 'Datetime'
        WHEN p.amount_value IS NULL OR p.amount_value <= 0 THEN 'Amount'
        WHEN p.base IS NULL THEN 'Amount currency'
        WHEN p.value_value IS NULL OR p.value_value < 0 THEN 'Value'
        WHEN p.quote IS NULL THEN 'Value currency'
        WHEN p.rate_value IS NULL THEN 'Rate'
        WHEN p.rate_asset IS DISTINCT FROM p.quote THEN 'Rate currency'
        WHEN kt_bad(p.fee) THEN 'Fee'
        WHEN p.fee_value IS NOT NULL AND p.fee_asset_text IS NULL THEN 'Fee currency'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Subtype'
    END AS _bad_column,
    CASE
        WHEN p.type IS NULL THEN 'the type is missing'
        WHEN p.time_utc IS NULL AND p.datetime IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.datetime) || ' is not an ISO 8601 time like 2025-02-03T09:30:05Z'
        WHEN p.amount_value IS NULL OR p.amount_value <= 0 THEN 'the amount ' || kt_quoted(p.amount) || ' is not a positive number'
        WHEN p.base IS NULL THEN 'the amount currency is missing'
        WHEN p.value_value IS NULL OR p.value_value < 0 THEN 'the value ' || kt_quoted(p.value) || ' is not a number'
        WHEN p.quote IS NULL THEN 'the value currency is missing'
        WHEN p.rate_value IS NULL THEN 'the rate ' || kt_quoted(p.rate) || ' is not a number'
        WHEN p.rate_asset IS DISTINCT FROM p.quote THEN 'the rate currency ' || kt_quoted(p.rate_currency) || ' is not the value currency ' || p.quote
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
        WHEN p.fee_value IS NOT NULL AND p.fee_asset_text IS NULL THEN 'the fee has no currency'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the subtype ' || kt_quoted(p.subtype) || ' is neither Buy nor Sell'
    END AS _bad_reason
FROM parsed AS p
