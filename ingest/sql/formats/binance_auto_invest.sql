-- binance_auto_invest: Binance Auto-Invest history (Auto-Invest Date(UTC),Holding Coin,Amount per period,
-- Trading Fee,Units,From,Status) as canonical trades: each successful period is one purchase.
-- Grain: one row per data row whose Status is Success (a failed or cancelled period bought nothing and is
--        left out). Amount per period is "<quote spent> <quote asset>" (10.00000000 USDT), Trading Fee the
--        same in the quote asset ("--" when none was charged: a fee of 0), Units "<bought> <Holding Coin>".
--        The price is Amount per period / Units, an exact DECIMAL division truncated (not rounded) to 18
--        decimals (kt_ratio, core/sql/macros.sql: integer long division, no floating point; Units of 1e17
--        or more are refused). quote_quantity is Amount per period (the fee is charged beside it).
-- Columns: source_row, account (NULL), the trades columns (channel = From, the wallet that paid),
--          _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the header's zone: Date(UTC)).
WITH kept AS (
    SELECT
        r.source_row,
        r.date,
        r.holding_coin,
        r.amount,
        r.trading_fee,
        r.units,
        r.source_wallet,
        r.status,
        kt_time(r.date, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.holding_coin)) AS coin,
        regexp_extract(trim(r.amount), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 1) AS amount_text,
        upper(regexp_extract(trim(r.amount), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 2)) AS amount_asset,
        regexp_extract(trim(r.units), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 1) AS units_text,
        upper(regexp_extract(trim(r.units), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 2)) AS units_asset,
        trim(coalesce(r.trading_fee, '')) IN ('--', '') AS no_fee,
        regexp_extract(trim(r.trading_fee), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 1) AS fee_text,
        upper(regexp_extract(trim(r.trading_fee), '^([0-9.,]+)\s+([A-Za-z0-9]+)$', 2)) AS fee_asset_text
    FROM raw AS r
    WHERE lower(trim(coalesce(r.status, ''))) NOT IN ('failed', 'fail', 'cancelled', 'canceled')
),
priced AS (
    SELECT
        k.*,
        kt_dec(k.amount_text) AS amount_value,
        kt_dec(k.units_text) AS units_value,
        kt_ratio(kt_dec(k.amount_text), kt_dec(k.units_text)) AS price_value
    FROM kept AS k
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    p.coin AS base_asset,
    nullif(p.amount_asset, '') AS quote_asset,
    'buy' AS side,
    p.price_value AS price,
    p.units_value AS quantity,
    p.amount_value AS quote_quantity,
    CASE WHEN p.no_fee THEN CAST(0 AS DECIMAL(38, 18)) ELSE kt_dec(p.fee_text) END AS fee,
    CASE WHEN p.no_fee THEN nullif(p.amount_asset, '') ELSE nullif(p.fee_asset_text, '') END AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    kt_blank(p.source_wallet) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN lower(trim(coalesce(p.status, ''))) <> 'success' THEN 'Status'
        WHEN p.t IS NULL THEN 'Auto-Invest Date(UTC)'
        WHEN p.coin IS NULL THEN 'Holding Coin'
        WHEN p.amount_value IS NULL OR p.amount_value <= 0 THEN 'Amount per period'
        WHEN p.units_value IS NULL OR p.units_value <= 0 OR p.units_asset <> p.coin THEN 'Units'
        WHEN p.price_value IS NULL THEN 'Units'
        WHEN NOT p.no_fee AND (kt_dec(p.fee_text) IS NULL OR p.fee_asset_text = '') THEN 'Trading Fee'
    END AS _bad_column,
    CASE
        WHEN lower(trim(coalesce(p.status, ''))) <> 'success'
            THEN 'the status ' || kt_quoted(p.status) || ' is neither Success nor Failed, so whether the period bought anything is unknown'
        WHEN p.t IS NULL AND kt_blank(p.date) IS NULL THEN 'the time is missing'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 2022-05-01 14:00:00'
        WHEN p.coin IS NULL THEN 'the holding coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number followed by an asset (10.00000000 USDT)'
        WHEN p.amount_value <= 0 THEN 'the amount ' || kt_quoted(p.amount) || ' is not positive'
        WHEN p.units_value IS NULL THEN 'the units ' || kt_quoted(p.units) || ' are not a number followed by an asset (0.01000000 ETH)'
        WHEN p.units_value <= 0 THEN 'the units ' || kt_quoted(p.units) || ' are not positive, so no price follows'
        WHEN p.units_asset <> p.coin THEN 'the units are in ' || p.units_asset || ', not in the holding coin ' || p.coin
        WHEN p.price_value IS NULL
            THEN 'the price ' || kt_quoted(p.amount) || ' / ' || kt_quoted(p.units) || ' cannot be computed exactly in 38 digits'
        WHEN NOT p.no_fee AND (kt_dec(p.fee_text) IS NULL OR p.fee_asset_text = '')
            THEN 'the trading fee ' || kt_quoted(p.trading_fee) || ' is not a number followed by an asset, nor --'
    END AS _bad_reason
FROM priced AS p
