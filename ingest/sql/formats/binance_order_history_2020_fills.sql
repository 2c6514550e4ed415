-- binance_order_history_2020_fills: the fill rows of a Binance Order History 2020 (see
-- binance_order_history_2020.sql) as canonical trades.
-- Grain: one row per fill row (the first column empty, a date in the second): ,Date(UTC),Trading Price,Filled,
--        Total,Fee. A fill belongs to the nearest order row above it and takes its pair, side and order id
--        (OrderNo; NULL in the variant without one, where the tie is the rows' order in the file). The fee is
--        fused to its asset (0.01612653BNB): split at the longer of the pair's assets that ends it, else at a
--        ticker (BNB).
-- Columns: source_row, account (NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (Date(UTC)), $pair_regex, $asset_suffix_regex, $p_<field>, $n_<field>.
WITH numbered AS (
    SELECT * FROM kt_order_history_2020_rows('raw')
),
order_rows AS (
    SELECT
        n.order_seq,
        n.source_row AS order_row,
        n.f[$p_pair] AS pair_text,
        nullif(regexp_extract(upper(n.f[$p_pair]), $pair_regex, 1), '') AS base,
        nullif(regexp_extract(upper(n.f[$p_pair]), $pair_regex, 2), '') AS quote,
        lower(CASE WHEN $p_side > 0 THEN n.f[$p_side] ELSE n.f[$p_type] END) AS side_text,
        CASE WHEN $p_order_no > 0 THEN n.f[$p_order_no] END AS order_no
    FROM numbered AS n
    WHERE n.row_type = 'order'
),
fills AS (
    SELECT
        n.source_row,
        n.f,
        o.order_row,
        o.pair_text,
        o.base,
        o.quote,
        o.side_text,
        o.order_no,
        kt_time(n.f[2], $time_format, $offset_minutes) AS t,
        upper(kt_num_text(n.f[6])) AS fee_text,
        CASE WHEN length(o.base) >= length(o.quote) THEN o.base ELSE o.quote END AS longer,
        CASE WHEN length(o.base) >= length(o.quote) THEN o.quote ELSE o.base END AS shorter
    FROM numbered AS n
    LEFT JOIN order_rows AS o ON o.order_seq = n.order_seq
    WHERE n.row_type = 'fill'
),
fees AS (
    SELECT
        x.*,
        CASE
            WHEN kt_strip_known(x.fee_text, x.longer) IS NOT NULL THEN x.longer
            WHEN kt_strip_known(x.fee_text, x.shorter) IS NOT NULL THEN x.shorter
            ELSE nullif(regexp_extract(x.fee_text, $asset_suffix_regex, 1), '')
        END AS fee_asset_text
    FROM fills AS x
)
SELECT
    y.source_row,
    CAST(NULL AS VARCHAR) AS account,
    y.t AS time_utc,
    y.base AS base_asset,
    y.quote AS quote_asset,
    y.side_text AS side,
    kt_dec(y.f[3]) AS price,
    kt_dec(y.f[4]) AS quantity,
    kt_dec(y.f[5]) AS quote_quantity,
    kt_strip_known(y.fee_text, y.fee_asset_text) AS fee,
    y.fee_asset_text AS fee_asset,
    y.order_no AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN y.order_row IS NULL THEN 'Date(UTC)'
        WHEN y.base IS NULL THEN $n_pair
        WHEN y.side_text IS NULL OR y.side_text NOT IN ('buy', 'sell') THEN CASE WHEN $p_side > 0 THEN $n_side ELSE $n_type END
        WHEN y.t IS NULL THEN 'Date(UTC)'
        WHEN kt_dec(y.f[3]) IS NULL THEN 'Trading Price'
        WHEN kt_dec(y.f[4]) IS NULL OR kt_dec(y.f[4]) <= 0 THEN 'Filled'
        WHEN kt_dec(y.f[5]) IS NULL THEN 'Total'
        WHEN y.f[6] IS NOT NULL AND (y.fee_asset_text IS NULL OR kt_strip_known(y.fee_text, y.fee_asset_text) IS NULL) THEN 'Fee'
        WHEN list_count(list_slice(y.f, 7, 11)) > 0 THEN $n_after_fee
    END AS _bad_column,
    CASE
        WHEN y.order_row IS NULL THEN 'the fill row has no order row above it, so its pair and side are unknown'
        WHEN y.base IS NULL
            THEN 'the pair ' || kt_quoted(y.pair_text) || ' of its order (row ' || y.order_row || ') does not end with a known quote asset'
        WHEN y.side_text IS NULL OR y.side_text NOT IN ('buy', 'sell')
            THEN 'the side of its order (row ' || y.order_row || ') is neither BUY nor SELL'
        WHEN y.t IS NULL THEN 'the fill time ' || kt_quoted(y.f[2]) || ' is not a date and time of the form 2020-03-19 17:02:52'
        WHEN kt_dec(y.f[3]) IS NULL THEN 'the fill price ' || kt_quoted(y.f[3]) || ' is not a number'
        WHEN kt_dec(y.f[4]) IS NULL OR kt_dec(y.f[4]) <= 0 THEN 'the filled amount ' || kt_quoted(y.f[4]) || ' of the fill is not a positive number'
        WHEN kt_dec(y.f[5]) IS NULL THEN 'the total ' || kt_quoted(y.f[5]) || ' of the fill is not a number'
        WHEN y.f[6] IS NOT NULL AND (y.fee_asset_text IS NULL OR kt_strip_known(y.fee_text, y.fee_asset_text) IS NULL)
            THEN 'the fee ' || kt_quoted(y.f[6]) || ' is not a number fused to its asset (0.01612653BNB)'
        WHEN list_count(list_slice(y.f, 7, 11)) > 0 THEN 'a fill row has values past its Fee column'
    END AS _bad_reason
FROM fees AS y
