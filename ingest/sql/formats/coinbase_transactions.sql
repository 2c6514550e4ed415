-- coinbase_transactions: Coinbase transaction history (all three header generations) as canonical trades:
-- the Buy, Sell and Advanced Trade Buy/Sell rows.
-- Grain: one row per trade row of the file. Columns: source_row, account (NULL), the trades columns,
--        _bad_column, _bad_reason.
-- Params: $time_format, $coinbase_currency (the currency of a prefixed header such as "EUR Subtotal", or NULL).
WITH picked AS (
    SELECT
        r.source_row,
        r.id,
        r.timestamp,
        r.transaction_type,
        r.asset,
        r.quantity_transacted,
        r.notes,
        coalesce(r.price_currency, r.spot_price_currency, $coinbase_currency) AS currency,
        coalesce(*COLUMNS('^([a-z]{3}_)?(spot_)?price_at_transaction$')) AS price_text,
        coalesce(*COLUMNS('^([a-z]{3}_)?subtotal$')) AS subtotal_text,
        coalesce(*COLUMNS('^([a-z]{3}_)?fees(_and_or_spread)?$')) AS fees_text
    FROM raw AS r
    WHERE lower(trim(coalesce(r.transaction_type, ''))) IN ('buy', 'sell', 'advanced trade buy',
                                                            'advanced trade sell', '')
),
parsed AS (
    SELECT
        p.*,
        kt_time(p.timestamp, $time_format, 0) AS time_utc,
        lower(trim(p.transaction_type)) AS type_text,
        abs(kt_dec(p.quantity_transacted)) AS quantity_value,
        kt_dec(regexp_replace(p.price_text, '[^0-9.-]', '', 'g')) AS spot_price,
        abs(kt_dec(regexp_replace(p.subtotal_text, '[^0-9.-]', '', 'g'))) AS subtotal_value,
        abs(kt_dec(regexp_replace(p.fees_text, '[^0-9.-]', '', 'g'))) AS fee_value,
        regexp_extract(coalesce(p.notes, ''), ' on ([A-Z0-9]+)-([A-Z0-9]+) at ([0-9.,]+) ',
                       ['base', 'quote', 'price']) AS market
    FROM picked AS p
),
priced AS (
    SELECT
        q.*,
        upper(trim(q.asset)) AS asset_text,
        upper(trim(q.currency)) AS currency_text,
        CASE WHEN q.market.base <> '' THEN q.market.base ELSE upper(trim(q.asset)) END AS base,
        CASE WHEN q.market.quote <> '' THEN q.market.quote ELSE upper(trim(q.currency)) END AS quote,
        CASE WHEN q.market.price <> '' THEN kt_dec(q.market.price) ELSE q.spot_price END AS price_value
    FROM parsed AS q
)
SELECT
    x.source_row,
    CAST(NULL AS VARCHAR) AS account,
    x.time_utc,
    nullif(x.base, '') AS base_asset,
    nullif(x.quote, '') AS quote_asset,
    CASE WHEN ends_with(x.type_text, 'buy') THEN 'buy' WHEN ends_with(x.type_text, 'sell') THEN 'sell' END AS side,
    x.price_value AS price,
    x.quantity_value AS quantity,
    CASE WHEN x.quote = x.currency_text THEN x.subtotal_value
         ELSE CAST(CAST(x.quantity_value AS DECIMAL(38, 10)) * CAST(x.price_value AS DECIMAL(38, 8))
                   AS DECIMAL(38, 18)) END AS quote_quantity,
    x.fee_value AS fee,
    CASE WHEN x.fee_value IS NOT NULL THEN x.currency_text END AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    trim(x.id) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN x.type_text = '' THEN 'Transaction Type'
        WHEN x.time_utc IS NULL THEN 'Timestamp'
        WHEN x.asset_text IS NULL OR x.asset_text = '' THEN 'Asset'
        WHEN x.quantity_value IS NULL OR x.quantity_value = 0 THEN 'Quantity Transacted'
        WHEN x.currency_text IS NULL THEN 'Price Currency'
        WHEN x.price_value IS NULL THEN 'Price at Transaction'
        WHEN x.subtotal_value IS NULL THEN 'Subtotal'
        WHEN x.fees_text IS NOT NULL AND x.fee_value IS NULL THEN 'Fees'
    END AS _bad_column,
    CASE
        WHEN x.type_text = '' THEN 'the transaction type is missing'
        WHEN x.time_utc IS NULL AND x.timestamp IS NULL THEN 'the time is missing'
        WHEN x.time_utc IS NULL THEN 'the time ' || kt_quoted(x.timestamp) || ' is not of the form 2024-03-13 09:41:27 UTC or 2021-02-08T07:51:33Z'
        WHEN x.asset_text IS NULL OR x.asset_text = '' THEN 'the asset is missing'
        WHEN x.quantity_value IS NULL OR x.quantity_value = 0 THEN 'the quantity ' || kt_quoted(x.quantity_transacted) || ' is not a number other than 0'
        WHEN x.currency_text IS NULL THEN 'the price currency is missing'
        WHEN x.price_value IS NULL THEN 'the price ' || kt_quoted(x.price_text) || ' is not a number'
        WHEN x.subtotal_value IS NULL THEN 'the subtotal ' || kt_quoted(x.subtotal_text) || ' is not a number'
        WHEN x.fees_text IS NOT NULL AND x.fee_value IS NULL THEN 'the fees ' || kt_quoted(x.fees_text) || ' are not a number'
    END AS _bad_reason
FROM priced AS x
