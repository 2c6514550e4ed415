-- kucoin_convert: KuCoin Convert history (UID,Account Type,Payment Account,Sell,Buy,Price,[Tax,]
-- Time of Update(UTC+hh:mm),Status) as canonical trades: one execution per successful conversion.
-- Grain: one row per data row whose Status is SUCCESS (any other status moved nothing). Sell and Buy are
--        "<qty> <asset>"; the file names no pair, so the trade is a sell of the Sell asset (base) for the
--        Buy asset (quote) at the price "1 <sell> = X <buy>" the file writes, read from its exact text.
--        No fee (the spread is in the price); Tax, when present, is not a fee and is not stored.
-- Columns: source_row, account (UID, NULL when masked like ****4228), the trades columns, _bad_column,
--          _bad_reason.
-- Params: $time_format, $offset_minutes (the header's zone, else Asia/Singapore).
WITH parsed AS (
    SELECT
        r.source_row,
        r.uid,
        r.sell,
        r.buy,
        r.price,
        r.time_of_update,
        kt_time(r.time_of_update, $time_format, $offset_minutes) AS t,
        regexp_extract(trim(r.sell), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 1) AS sell_qty_text,
        upper(regexp_extract(trim(r.sell), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 2)) AS sell_asset,
        regexp_extract(trim(r.buy), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 1) AS buy_qty_text,
        upper(regexp_extract(trim(r.buy), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 2)) AS buy_asset,
        regexp_extract(upper(trim(r.price)), '^1\s*([A-Z0-9]+)\s*=\s*([0-9.,]+(?:E[-+]?[0-9]+)?)\s*([A-Z0-9]+)$', 1) AS price_base,
        regexp_extract(upper(trim(r.price)), '^1\s*([A-Z0-9]+)\s*=\s*([0-9.,]+(?:E[-+]?[0-9]+)?)\s*([A-Z0-9]+)$', 2) AS price_text,
        regexp_extract(upper(trim(r.price)), '^1\s*([A-Z0-9]+)\s*=\s*([0-9.,]+(?:E[-+]?[0-9]+)?)\s*([A-Z0-9]+)$', 3) AS price_quote
    FROM raw AS r
    WHERE upper(trim(coalesce(r.status, ''))) IN ('SUCCESS', '')
),
typed AS (
    SELECT
        p.*,
        kt_dec(p.sell_qty_text) AS sell_value,
        kt_dec(p.buy_qty_text) AS buy_value,
        kt_dec(p.price_text) AS price_value,
        length(regexp_extract(p.price_text, '\.([0-9]+)$', 1)) > 18 AS price_too_fine
    FROM parsed AS p
)
SELECT
    y.source_row,
    CASE WHEN contains(y.uid, '*') THEN NULL ELSE kt_blank(y.uid) END AS account,
    y.t AS time_utc,
    nullif(y.sell_asset, '') AS base_asset,
    nullif(y.buy_asset, '') AS quote_asset,
    'sell' AS side,
    y.price_value AS price,
    y.sell_value AS quantity,
    y.buy_value AS quote_quantity,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN kt_blank(y.uid) IS NULL THEN 'UID'
        WHEN y.t IS NULL THEN 'Time of Update'
        WHEN y.sell_asset = '' OR y.sell_value IS NULL OR y.sell_value <= 0 THEN 'Sell'
        WHEN y.buy_asset = '' OR y.buy_value IS NULL THEN 'Buy'
        WHEN y.price_base IS DISTINCT FROM y.sell_asset OR y.price_quote IS DISTINCT FROM y.buy_asset THEN 'Price'
        WHEN y.price_too_fine OR y.price_value IS NULL THEN 'Price'
    END AS _bad_column,
    CASE
        WHEN kt_blank(y.uid) IS NULL THEN 'the UID is missing'
        WHEN y.t IS NULL AND y.time_of_update IS NULL THEN 'the time is missing'
        WHEN y.t IS NULL THEN 'the time ' || kt_quoted(y.time_of_update) || ' is not a date and time of the form 2023-12-04 08:28:21'
        WHEN y.sell_asset = '' OR y.sell_value IS NULL OR y.sell_value <= 0 THEN 'the sell amount ' || kt_quoted(y.sell) || ' is not a positive number followed by an asset (10285.1148 KAS)'
        WHEN y.buy_asset = '' OR y.buy_value IS NULL THEN 'the buy amount ' || kt_quoted(y.buy) || ' is not a number followed by an asset (16272.9897 DOGE)'
        WHEN y.price_base IS DISTINCT FROM y.sell_asset OR y.price_quote IS DISTINCT FROM y.buy_asset THEN 'the price ' || kt_quoted(y.price) || ' does not read 1 ' || y.sell_asset || '=<price> ' || y.buy_asset
        WHEN y.price_too_fine THEN 'the price ' || kt_quoted(y.price_text) || ' has more than 18 decimals, which keytrace cannot store exactly'
        WHEN y.price_value IS NULL THEN 'the price ' || kt_quoted(y.price_text) || ' is not a number'
    END AS _bad_reason
FROM typed AS y
