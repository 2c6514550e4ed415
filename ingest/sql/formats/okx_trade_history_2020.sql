-- okx_trade_history_2020: OKEx trade history of 2020 (Order ID,Trade ID,Trade Time,Pairs,Amount,Price,Total,
-- taker/maker,Fee,unit; the short variant lacks Order ID and taker/maker) as canonical trades.
-- Grain: one row per data row (each row is one fill). Every field, header included, may start with a BOM.
-- Pairs is base_quote in lower case (ltc_usdt); Amount is signed in the base asset (positive = bought,
-- negative = sold); Total is "<signed quote amount> <quote asset>" (negative when paid); Fee is
-- "<negative fee> <asset>" (the bought asset on a buy, the quote on a sell in every sample) and is kept as
-- its absolute value; unit is the base asset. Amounts are kept exactly as written (Total's 18 decimals of
-- floating-point noise included: they are the exchange's figure).
-- Columns: source_row, account (NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (no zone is named: UTC).
WITH cleaned AS (
    SELECT
        r.source_row,
        kt_blank(replace(r.order_id, chr(65279), '')) AS order_no,
        kt_blank(replace(r.trade_id, chr(65279), '')) AS trade_no,
        kt_blank(replace(r.trade_time, chr(65279), '')) AS time_text,
        kt_blank(replace(r.pairs, chr(65279), '')) AS pair_text,
        kt_blank(replace(r.amount, chr(65279), '')) AS amount_text,
        kt_blank(replace(r.price, chr(65279), '')) AS price_text,
        kt_blank(replace(r.total, chr(65279), '')) AS total_text,
        kt_blank(replace(r.taker_maker, chr(65279), '')) AS liquidity_text,
        kt_blank(replace(r.fee, chr(65279), '')) AS fee_text,
        upper(kt_blank(replace(r.unit, chr(65279), ''))) AS unit_text
    FROM raw AS r
),
parsed AS (
    SELECT
        c.*,
        kt_time(c.time_text, $time_format, $offset_minutes) AS t,
        nullif(upper(split_part(c.pair_text, '_', 1)), '') AS base,
        nullif(upper(split_part(c.pair_text, '_', 2)), '') AS quote,
        kt_dec(c.amount_text) AS amount_value,
        kt_dec(c.price_text) AS price_value,
        kt_dec(split_part(c.total_text, ' ', 1)) AS total_value,
        upper(split_part(c.total_text, ' ', 2)) AS total_asset,
        kt_dec(split_part(c.fee_text, ' ', 1)) AS fee_value,
        upper(split_part(c.fee_text, ' ', 2)) AS fee_asset_text
    FROM cleaned AS c
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    p.base AS base_asset,
    p.quote AS quote_asset,
    CASE WHEN p.amount_value > 0 THEN 'buy' WHEN p.amount_value < 0 THEN 'sell' END AS side,
    p.price_value AS price,
    abs(p.amount_value) AS quantity,
    abs(p.total_value) AS quote_quantity,
    abs(p.fee_value) AS fee,
    nullif(p.fee_asset_text, '') AS fee_asset,
    p.order_no AS order_id,
    p.trade_no AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    lower(p.liquidity_text) AS liquidity,
    CASE
        WHEN p.t IS NULL THEN 'Trade Time'
        WHEN p.base IS NULL OR p.quote IS NULL OR split_part(p.pair_text, '_', 3) <> '' THEN 'Pairs'
        WHEN p.amount_value IS NULL OR p.amount_value = 0 THEN 'Amount'
        WHEN p.price_value IS NULL OR p.price_value < 0 THEN 'Price'
        WHEN p.total_value IS NULL OR p.total_asset = '' THEN 'Total'
        WHEN p.total_asset <> p.quote THEN 'Total'
        WHEN p.fee_text IS NOT NULL AND (p.fee_value IS NULL OR p.fee_asset_text = '') THEN 'Fee'
        WHEN p.fee_text IS NOT NULL AND p.fee_asset_text NOT IN (p.base, p.quote) THEN 'Fee'
        WHEN p.unit_text IS DISTINCT FROM p.base THEN 'unit'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL AND p.time_text IS NULL THEN 'the time is missing'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time_text) || ' is not a date and time of the form 2020-09-25 17:27:02'
        WHEN p.base IS NULL OR p.quote IS NULL OR split_part(p.pair_text, '_', 3) <> ''
            THEN 'the pair ' || kt_quoted(p.pair_text) || ' is not base_quote (ltc_usdt)'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount_text) || ' is not a number'
        WHEN p.amount_value = 0 THEN 'the amount is zero, so the side (its sign) is unknown'
        WHEN p.price_value IS NULL OR p.price_value < 0 THEN 'the price ' || kt_quoted(p.price_text) || ' is not a positive number'
        WHEN p.total_value IS NULL OR p.total_asset = ''
            THEN 'the total ' || kt_quoted(p.total_text) || ' is not a number followed by an asset (-104.97 USDT)'
        WHEN p.total_asset <> p.quote
            THEN 'the total is in ' || p.total_asset || ', not in the quote asset ' || p.quote || ' of ' || p.pair_text
        WHEN p.fee_text IS NOT NULL AND (p.fee_value IS NULL OR p.fee_asset_text = '')
            THEN 'the fee ' || kt_quoted(p.fee_text) || ' is not a number followed by an asset (-0.0034 LTC)'
        WHEN p.fee_text IS NOT NULL AND p.fee_asset_text NOT IN (p.base, p.quote)
            THEN 'the fee is in ' || p.fee_asset_text || ', neither asset of the pair ' || p.pair_text
        WHEN p.unit_text IS DISTINCT FROM p.base
            THEN 'the unit ' || kt_quoted(p.unit_text) || ' is not the base asset ' || p.base || ' of ' || p.pair_text
    END AS _bad_reason
FROM parsed AS p
