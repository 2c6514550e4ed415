-- binance_order_history_2020: Binance Order History 2020 (Date(UTC),[OrderNo|Order No.,]Pair,Type,[Side,]
-- Order Price,Order Amount,AvgTrading Price,Filled,Total,status) whose order rows are each followed by a
-- sub-header (,Date(UTC),Trading Price,Filled,Total,Fee) and the rows of its fills, shifted one column right.
-- This part reads the order rows as canonical orders; binance_order_history_2020_fills reads the fills.
-- Grain: one row per order row (a date in the first column), plus one (refused) row per row that is neither
--        an order, a sub-header, a fill (a date in the second column) nor blank.
-- An order's Filled must equal the sum of its fills' Filled when it has fills (else the order is refused:
-- a fill would belong to another order than the file meant). The export has no update time and no fee per
-- order (the fees are the fills').
-- Columns: source_row, account (NULL), the orders columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (Date(UTC)), $pair_regex, $p_<field> (1-based position of each
--         field in this variant's header, 0 when it has none) and $n_<field> (its name there), see
--         ingest/formats/binance_order_history_2020.py.
WITH numbered AS (
    SELECT * FROM kt_order_history_2020_rows('raw')
),
fill_sums AS (
    SELECT n.order_seq, count(*) AS fills, sum(kt_dec(n.f[4])) AS fills_filled, bool_or(kt_dec(n.f[4]) IS NULL) AS bad_fill
    FROM numbered AS n
    WHERE n.row_type = 'fill'
    GROUP BY n.order_seq
),
orders_parsed AS (
    SELECT
        n.source_row,
        n.row_type,
        n.f,
        kt_time(n.f[1], $time_format, $offset_minutes) AS created,
        regexp_extract(upper(n.f[$p_pair]), $pair_regex, 1) AS base,
        regexp_extract(upper(n.f[$p_pair]), $pair_regex, 2) AS quote,
        lower(CASE WHEN $p_side > 0 THEN n.f[$p_side] ELSE n.f[$p_type] END) AS side_text,
        CASE WHEN $p_side > 0 THEN lower(n.f[$p_type]) END AS order_type_text,
        n.f[$p_order_price] AS order_price_text,
        n.f[$p_order_amount] AS order_amount_text,
        n.f[$p_avg_price] AS avg_price_text,
        n.f[$p_filled] AS filled_text,
        n.f[$p_total] AS total_text,
        s.fills,
        s.fills_filled,
        coalesce(s.bad_fill, false) AS bad_fill
    FROM numbered AS n
    LEFT JOIN fill_sums AS s ON s.order_seq = n.order_seq
    WHERE n.row_type IN ('order', 'other')
)
SELECT
    o.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CASE WHEN $p_order_no > 0 THEN o.f[$p_order_no] END AS order_id,
    o.created AS created_utc,
    CAST(NULL AS TIMESTAMPTZ) AS updated_utc,
    nullif(o.base, '') AS base_asset,
    nullif(o.quote, '') AS quote_asset,
    o.side_text AS side,
    o.order_type_text AS order_type,
    kt_dec(o.order_price_text) AS order_price,
    kt_dec(o.order_amount_text) AS order_quantity,
    kt_dec(o.filled_text) AS filled_quantity,
    kt_dec(o.total_text) AS filled_quote,
    kt_dec(o.avg_price_text) AS avg_price,
    o.avg_price_text,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS fee_asset,
    lower(o.f[$p_status]) AS status,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS tags,
    CASE
        WHEN o.row_type = 'other' THEN 'Date(UTC)'
        WHEN o.created IS NULL THEN 'Date(UTC)'
        WHEN o.base = '' OR o.base IS NULL THEN $n_pair
        WHEN o.side_text IS NULL OR o.side_text NOT IN ('buy', 'sell') THEN CASE WHEN $p_side > 0 THEN $n_side ELSE $n_type END
        WHEN kt_bad(o.order_price_text) THEN $n_order_price
        WHEN kt_bad(o.order_amount_text) THEN $n_order_amount
        WHEN kt_bad(o.avg_price_text) THEN $n_avg_price
        WHEN kt_bad(o.filled_text) THEN $n_filled
        WHEN kt_bad(o.total_text) THEN $n_total
        WHEN o.fills > 0 AND NOT o.bad_fill AND o.fills_filled IS DISTINCT FROM kt_dec(o.filled_text) THEN $n_filled
    END AS _bad_column,
    CASE
        WHEN o.row_type = 'other'
            THEN 'the row is neither an order (its date in the first column) nor a fill of one (its date in the second)'
        WHEN o.created IS NULL THEN 'the order time ' || kt_quoted(o.f[1]) || ' is not a date and time of the form 2020-03-19 17:02:52'
        WHEN o.base = '' OR o.base IS NULL THEN 'the pair ' || kt_quoted(o.f[$p_pair]) || ' does not end with a known quote asset'
        WHEN o.side_text IS NULL OR o.side_text NOT IN ('buy', 'sell')
            THEN 'the side ' || kt_quoted(CASE WHEN $p_side > 0 THEN o.f[$p_side] ELSE o.f[$p_type] END) || ' is neither BUY nor SELL'
        WHEN kt_bad(o.order_price_text) THEN 'the order price ' || kt_quoted(o.order_price_text) || ' is not a number'
        WHEN kt_bad(o.order_amount_text) THEN 'the order amount ' || kt_quoted(o.order_amount_text) || ' is not a number'
        WHEN kt_bad(o.avg_price_text) THEN 'the average price ' || kt_quoted(o.avg_price_text) || ' is not a number'
        WHEN kt_bad(o.filled_text) THEN 'the filled amount ' || kt_quoted(o.filled_text) || ' is not a number'
        WHEN kt_bad(o.total_text) THEN 'the total ' || kt_quoted(o.total_text) || ' is not a number'
        WHEN o.fills > 0 AND NOT o.bad_fill AND o.fills_filled IS DISTINCT FROM kt_dec(o.filled_text)
            THEN 'the order filled ' || kt_quoted(o.filled_text) || ' but its ' || o.fills || ' fill row(s) below add up to '
                 || kt_plain(o.fills_filled) || ', so the fills cannot be tied to this order safely'
    END AS _bad_reason
FROM orders_parsed AS o
