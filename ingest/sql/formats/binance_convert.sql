-- binance_convert: Binance Convert history (Date,[Wallet,]Pair,Type,Sell,Buy,Price,Inverse Price,Date Updated,
-- Status) as canonical trades: one execution per successful conversion.
-- Grain: one row per data row whose Status is Successful (any other status moved nothing). Sell and Buy are
--        "<qty> <asset>"; Pair is BASE||QUOTE fused; the price is whichever of Price / Inverse Price reads
--        "1 <base> = X <quote>", parsed from its exact text. Time: Date Updated, else Date.
-- Columns: source_row, account (NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the header's zone, else UTC).
WITH parsed AS (
    SELECT
        r.source_row,
        r.date,
        r.pair,
        r.sell,
        r.buy,
        r.price,
        r.inverse_price,
        r.date_updated,
        coalesce(kt_blank(r.date_updated), kt_blank(r.date)) AS time_text,
        upper(trim(r.pair)) AS pair_text,
        regexp_extract(trim(r.sell), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 1) AS sell_qty_text,
        upper(regexp_extract(trim(r.sell), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 2)) AS sell_asset,
        regexp_extract(trim(r.buy), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 1) AS buy_qty_text,
        upper(regexp_extract(trim(r.buy), '^([0-9.,]+(?:[eE][-+]?[0-9]+)?)\s*([A-Za-z0-9]+)$', 2)) AS buy_asset
    FROM raw AS r
    WHERE lower(trim(coalesce(r.status, ''))) IN ('successful', '')
),
sided AS (
    SELECT
        p.*,
        CASE WHEN p.sell_asset <> '' AND p.pair_text = p.buy_asset || p.sell_asset THEN 'buy'
             WHEN p.sell_asset <> '' AND p.pair_text = p.sell_asset || p.buy_asset THEN 'sell' END AS side_text
    FROM parsed AS p
),
priced AS (
    SELECT
        s.*,
        CASE s.side_text WHEN 'buy' THEN s.buy_asset WHEN 'sell' THEN s.sell_asset END AS base,
        CASE s.side_text WHEN 'buy' THEN s.sell_asset WHEN 'sell' THEN s.buy_asset END AS quote,
        CASE s.side_text WHEN 'buy' THEN s.buy_qty_text WHEN 'sell' THEN s.sell_qty_text END AS qty_text,
        CASE s.side_text WHEN 'buy' THEN s.sell_qty_text WHEN 'sell' THEN s.buy_qty_text END AS quote_qty_text
    FROM sided AS s
),
rated AS (
    SELECT
        q.*,
        -- the "1 BASE = X QUOTE" text of the two
        coalesce(
            CASE WHEN regexp_full_match(upper(trim(q.price)), '1\s+' || q.base || '\s*=\s*[0-9.,]+(?:E[-+]?[0-9]+)?\s*' || q.quote)
                 THEN regexp_extract(trim(q.price), '=\s*([0-9.,]+(?:[eE][-+]?[0-9]+)?)', 1) END,
            CASE WHEN regexp_full_match(upper(trim(q.inverse_price)), '1\s+' || q.base || '\s*=\s*[0-9.,]+(?:E[-+]?[0-9]+)?\s*' || q.quote)
                 THEN regexp_extract(trim(q.inverse_price), '=\s*([0-9.,]+(?:[eE][-+]?[0-9]+)?)', 1) END) AS price_text,
        CASE WHEN regexp_full_match(upper(trim(q.price)), '1\s+' || q.base || '\s*=.*') THEN 'Price'
             ELSE 'Inverse Price' END AS price_column
    FROM priced AS q
),
typed AS (
    SELECT
        x.*,
        kt_time(x.time_text, $time_format, $offset_minutes) AS t,
        kt_dec(x.qty_text) AS qty_value,
        kt_dec(x.quote_qty_text) AS quote_value,
        kt_dec(x.price_text) AS price_value,
        length(regexp_extract(x.price_text, '\.([0-9]+)$', 1)) > 18 AS price_too_fine
    FROM rated AS x
)
SELECT
    y.source_row,
    CAST(NULL AS VARCHAR) AS account,
    y.t AS time_utc,
    y.base AS base_asset,
    y.quote AS quote_asset,
    y.side_text AS side,
    y.price_value AS price,
    y.qty_value AS quantity,
    y.quote_value AS quote_quantity,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN y.t IS NULL THEN CASE WHEN kt_blank(y.date_updated) IS NOT NULL THEN 'Date Updated' ELSE 'Date' END
        WHEN y.sell_asset = '' OR kt_dec(y.sell_qty_text) IS NULL THEN 'Sell'
        WHEN y.buy_asset = '' OR kt_dec(y.buy_qty_text) IS NULL THEN 'Buy'
        WHEN y.side_text IS NULL THEN 'Pair'
        WHEN y.price_text IS NULL THEN 'Price'
        WHEN y.price_too_fine OR y.price_value IS NULL THEN y.price_column
    END AS _bad_column,
    CASE
        WHEN y.t IS NULL AND y.time_text IS NULL THEN 'the time is missing'
        WHEN y.t IS NULL THEN 'the time ' || kt_quoted(y.time_text) || ' is not a date and time of the form 2023-11-10 14:02:16'
        WHEN y.sell_asset = '' OR kt_dec(y.sell_qty_text) IS NULL THEN 'the sell amount ' || kt_quoted(y.sell) || ' is not a number followed by an asset (0.06 ETH)'
        WHEN y.buy_asset = '' OR kt_dec(y.buy_qty_text) IS NULL THEN 'the buy amount ' || kt_quoted(y.buy) || ' is not a number followed by an asset (0.06 ETH)'
        WHEN y.side_text IS NULL THEN 'the pair ' || kt_quoted(y.pair) || ' is not made of the sold and bought assets ' || y.sell_asset || ' and ' || y.buy_asset
        WHEN y.price_text IS NULL THEN 'neither the price ' || kt_quoted(y.price) || ' nor the inverse price reads 1 ' || y.base || ' = <price> ' || y.quote
        WHEN y.price_too_fine THEN 'the price ' || kt_quoted(y.price_text) || ' has more than 18 decimals, which keytrace cannot store exactly'
        WHEN y.price_value IS NULL THEN 'the price ' || kt_quoted(y.price_text) || ' is not a number'
    END AS _bad_reason
FROM typed AS y
