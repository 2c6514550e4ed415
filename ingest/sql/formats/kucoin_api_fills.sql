-- kucoin_api_fills: the fill records of a KuCoin REST response (GET /api/v1/fills) as canonical trades,
-- with the counterparty's order id and the liquidity side.
-- Grain: one row per fill record (kucoin_api_record = 'fill'). Columns: source_row, account (NULL), the
--        trades columns, _bad_column, _bad_reason.
-- Params: none. createdAt is epoch milliseconds.
WITH parsed AS (
    SELECT
        r.source_row,
        r.symbol,
        r.side,
        r.price,
        r.size,
        r.funds,
        r.fee,
        r.createdat,
        try_cast(trim(r.createdat) AS BIGINT) AS epoch_ms,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 1)) AS base,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 2)) AS quote,
        lower(trim(r.side)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.size) AS size_value,
        kt_dec(r.funds) AS funds_value,
        kt_dec(r.fee) AS fee_value,
        upper(trim(r.feecurrency)) AS fee_asset_text,
        trim(r.orderid) AS order_id,
        trim(r.tradeid) AS trade_id,
        trim(r.counterorderid) AS counter_order_id,
        lower(trim(r.liquidity)) AS liquidity
    FROM raw AS r
    WHERE r.kucoin_api_record = 'fill'
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(make_timestamp(p.epoch_ms * 1000) AS TIMESTAMPTZ) AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.size_value AS quantity,
    p.funds_value AS quote_quantity,
    p.fee_value AS fee,
    p.fee_asset_text AS fee_asset,
    p.order_id,
    p.trade_id,
    p.counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    p.liquidity,
    CASE
        WHEN p.epoch_ms IS NULL OR p.epoch_ms <= 0 THEN 'createdAt'
        WHEN p.base = '' OR p.quote = '' THEN 'symbol'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'side'
        WHEN p.price_value IS NULL THEN 'price'
        WHEN p.size_value IS NULL OR p.size_value <= 0 THEN 'size'
        WHEN p.funds_value IS NULL THEN 'funds'
        WHEN kt_bad(p.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN p.epoch_ms IS NULL OR p.epoch_ms <= 0 THEN 'the time ' || kt_quoted(p.createdat) || ' is not epoch milliseconds'
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol ' || kt_quoted(p.symbol) || ' is not BASE-QUOTE'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither buy nor sell'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.size_value IS NULL OR p.size_value <= 0 THEN 'the size ' || kt_quoted(p.size) || ' is not a positive number'
        WHEN p.funds_value IS NULL THEN 'the funds ' || kt_quoted(p.funds) || ' are not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
