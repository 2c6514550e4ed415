-- kraken_trades: Kraken trades history (txid,ordertxid,pair,time,type,ordertype,price,cost,fee,vol,margin,
-- misc,ledgers[,postxid,...]) as canonical trades.
-- Grain: one row per data row (one trade). Columns: source_row, account (NULL), the trades columns,
--        _bad_column, _bad_reason.
-- Params: $time_format, $kraken_pair_regex (fused pair -> base, quote), $kraken_legacy_codes (X/Z codes).
WITH parsed AS (
    SELECT
        r.source_row,
        r.txid,
        r.ordertxid,
        r.pair,
        r.time,
        r.type,
        r.price,
        r.cost,
        r.fee,
        r.vol,
        upper(replace(trim(r.pair), '/', '')) AS fused,
        contains(r.pair, '/') AS has_slash,
        kt_time(r.time, $time_format, 0) AS time_utc,
        lower(trim(r.type)) AS side_text,
        kt_dec(r.price) AS price_value,
        kt_dec(r.cost) AS cost_value,
        kt_dec(r.fee) AS fee_value,
        kt_dec(r.vol) AS vol_value
    FROM raw AS r
),
split AS (
    SELECT
        p.*,
        CASE WHEN p.has_slash THEN upper(trim(split_part(p.pair, '/', 1)))
             ELSE nullif(regexp_extract(p.fused, $kraken_pair_regex, 1), '') END AS base_code,
        CASE WHEN p.has_slash THEN upper(trim(split_part(p.pair, '/', 2)))
             ELSE nullif(regexp_extract(p.fused, $kraken_pair_regex, 2), '') END AS quote_code
    FROM parsed AS p
),
named AS (
    SELECT
        s.*,
        CASE WHEN list_contains($kraken_legacy_codes, s.base_code) THEN substr(s.base_code, 2) ELSE s.base_code END
            AS base_plain,
        CASE WHEN list_contains($kraken_legacy_codes, s.quote_code) THEN substr(s.quote_code, 2) ELSE s.quote_code END
            AS quote_plain
    FROM split AS s
),
assets AS (
    SELECT
        n.*,
        CASE n.base_plain WHEN 'XBT' THEN 'BTC' WHEN 'XDG' THEN 'DOGE' ELSE n.base_plain END AS base,
        CASE n.quote_plain WHEN 'XBT' THEN 'BTC' WHEN 'XDG' THEN 'DOGE' ELSE n.quote_plain END AS quote
    FROM named AS n
)
SELECT
    a.source_row,
    CAST(NULL AS VARCHAR) AS account,
    a.time_utc,
    a.base AS base_asset,
    a.quote AS quote_asset,
    a.side_text AS side,
    a.price_value AS price,
    a.vol_value AS quantity,
    a.cost_value AS quote_quantity,
    a.fee_value AS fee,
    CASE WHEN a.fee_value IS NOT NULL THEN a.quote END AS fee_asset,
    trim(a.ordertxid) AS order_id,
    trim(a.txid) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN a.time_utc IS NULL THEN 'time'
        WHEN a.base IS NULL OR a.quote IS NULL THEN 'pair'
        WHEN a.side_text IS NULL OR a.side_text NOT IN ('buy', 'sell') THEN 'type'
        WHEN a.price_value IS NULL OR a.price_value < 0 THEN 'price'
        WHEN a.vol_value IS NULL OR a.vol_value <= 0 THEN 'vol'
        WHEN a.cost_value IS NULL OR a.cost_value < 0 THEN 'cost'
        WHEN kt_bad(a.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN a.time_utc IS NULL AND a.time IS NULL THEN 'the time is missing'
        WHEN a.time_utc IS NULL THEN 'the time ' || kt_quoted(a.time) || ' is not a date and time of the form 2021-07-23 11:22:54.9881'
        WHEN a.base IS NULL OR a.quote IS NULL THEN 'the pair ' || kt_quoted(a.pair) || ' does not end with a known quote asset'
        WHEN a.side_text IS NULL OR a.side_text NOT IN ('buy', 'sell') THEN 'the type ' || kt_quoted(a.type) || ' is neither buy nor sell'
        WHEN a.price_value IS NULL OR a.price_value < 0 THEN 'the price ' || kt_quoted(a.price) || ' is not a number'
        WHEN a.vol_value IS NULL OR a.vol_value <= 0 THEN 'the volume ' || kt_quoted(a.vol) || ' is not a positive number'
        WHEN a.cost_value IS NULL OR a.cost_value < 0 THEN 'the cost ' || kt_quoted(a.cost) || ' is not a number'
        WHEN kt_bad(a.fee) THEN 'the fee ' || kt_quoted(a.fee) || ' is not a number'
    END AS _bad_reason
FROM assets AS a
