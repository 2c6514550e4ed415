-- binance_trade_history: Binance Spot "Trade History" (Date(UTC),Pair,Side,Price,Executed,Amount,Fee)
-- as canonical trades.
-- Grain: one row per data row of the file (one fill). Amount must be Price x Executed within the file's
-- rounding (see `checked`), else the row is refused naming Amount and both figures. Row-local (no join, grouping or window), so the
-- staging numbers the rows by their order (see ingest/load.py) and the file is read once.
-- Columns: source_row, account (NULL: the export carries no UID), the trades columns, _bad_column,
--          _bad_reason (NULL when the row is good).
-- Params: $time_format, $offset_minutes (zone of the Date(UTC+N) header), $time_header,
--         $quotes_5, $quotes_4, $quotes_3 (the listed quote assets of 5, 4 and 3 letters: a fused pair
--         is split at the longest that ends it),
--         $asset_suffix_regex (asset at the end of the fee),
--         $h_pair, $h_side, $h_price, $h_executed, $h_amount, $h_fee (the file's own names of the columns,
--         as a translated export writes them: Par, Lado, ...).
WITH split AS (
    SELECT
        r.*,
        upper(trim(r.pair)) AS pair_text,
        upper(kt_num_text(r.executed)) AS executed_text,
        upper(kt_num_text(r.amount)) AS amount_text,
        upper(kt_num_text(r.fee)) AS fee_text
    FROM raw AS r
),
listed AS (
    SELECT
        s.*,
        CASE WHEN regexp_full_match(s.pair_text, '[A-Z0-9]+') THEN kt_listed_quote(s.pair_text, $quotes_5, $quotes_4, $quotes_3) END
            AS listed_quote
    FROM split AS s
),
cuts AS (
    -- a quote asset keytrace does not list: the cut of the pair where Executed ends with the base and
    -- Amount with the quote, each right after a digit; used only when exactly one cut fits
    SELECT
        l.*,
        CASE WHEN l.listed_quote IS NULL THEN
            list_filter(range(1, length(l.pair_text)), lambda k:
                ends_with(l.executed_text, left(l.pair_text, k))
                AND ends_with(l.amount_text, right(l.pair_text, length(l.pair_text) - k))
                AND regexp_matches(left(l.executed_text, length(l.executed_text) - k), '[0-9]$')
                AND regexp_matches(left(l.amount_text, length(l.amount_text) - length(l.pair_text) + k), '[0-9]$'))
        END AS fitting
    FROM listed AS l
),
assets AS (
    SELECT
        c.*,
        CASE WHEN c.listed_quote IS NOT NULL THEN left(c.pair_text, length(c.pair_text) - length(c.listed_quote))
             WHEN len(c.fitting) = 1 THEN left(c.pair_text, c.fitting[1])
             ELSE ''
        END AS base,
        CASE WHEN c.listed_quote IS NOT NULL THEN c.listed_quote
             WHEN len(c.fitting) = 1 THEN right(c.pair_text, length(c.pair_text) - c.fitting[1])
             ELSE ''
        END AS quote
    FROM cuts AS c
),
fees AS (
    SELECT
        a.*,
        CASE
            WHEN a.base <> '' AND ends_with(a.fee_text, a.base) THEN a.base
            WHEN a.quote <> '' AND ends_with(a.fee_text, a.quote) THEN a.quote
            ELSE nullif(regexp_extract(a.fee_text, $asset_suffix_regex, 1), '')
        END AS fee_asset
    FROM assets AS a
),
parsed AS (
    SELECT
        f.*,
        kt_time(f.date, $time_format, $offset_minutes) AS time_utc,
        lower(trim(f.side)) AS side_text,
        kt_dec(f.price) AS price_value,
        kt_strip_known(f.executed_text, f.base) AS quantity,
        kt_strip_known(f.amount_text, f.quote) AS quote_quantity,
        kt_strip_known(f.fee_text, f.fee_asset) AS fee_value
    FROM fees AS f
),
checked AS (
    -- Price x Executed against Amount, where all three are plain numbers, the quantity and amount below 10^15
    -- and the product below 10^17 (a bigger one is not checked: it would not fit). The tolerance is one unit
    -- of the amount's last shown decimal (whether Binance rounds or truncates Amount is not known: one unit
    -- covers both) plus quantity x half a unit of the price's last decimal plus price x half a unit of the
    -- quantity's (trailing zeros count as shown decimals). Price and quantity are taken to at most 10
    -- decimals (DECIMAL(38,10), so that the product fits DECIMAL(38,20)).
    -- Fast path: a row whose double-precision product is within one unit of the amount's last decimal,
    -- with a margin far above the doubles' rounding, is within the tolerance; only the others (about none,
    -- in a real export) take the exact decimal check, whose product and tolerance `exact` carries.
    SELECT
        p.*,
        CASE
            WHEN p.price_value IS NULL OR p.quantity IS NULL OR p.quote_quantity IS NULL THEN NULL
            WHEN abs(CAST(p.price_value AS DOUBLE) * CAST(p.quantity AS DOUBLE) - CAST(p.quote_quantity AS DOUBLE))
                 + 1e-12 * abs(CAST(p.quote_quantity AS DOUBLE))
                 < power(10.0, -kt_places_fast(left(p.amount_text, length(p.amount_text) - length(p.quote))))
                THEN NULL
            WHEN kt_shown_decimals(kt_num_text(p.price)) IS NULL
                 OR kt_shown_decimals(left(p.executed_text, length(p.executed_text) - length(p.base))) IS NULL
                 OR kt_shown_decimals(left(p.amount_text, length(p.amount_text) - length(p.quote))) IS NULL
                 OR p.quantity >= 1e15 OR p.quote_quantity >= 1e15
                 OR kt_shown_decimals(left(p.amount_text, length(p.amount_text) - length(p.quote))) > 19
                 OR CAST(p.price_value AS DOUBLE) * CAST(p.quantity AS DOUBLE) >= 1e17
                THEN NULL
            ELSE struct_pack(
                product := CAST(p.price_value AS DECIMAL(38, 10)) * CAST(p.quantity AS DECIMAL(38, 10)),
                tolerance := kt_unit20(kt_shown_decimals(left(p.amount_text, length(p.amount_text) - length(p.quote))))
                    + CAST(p.quantity AS DECIMAL(38, 10))
                      * kt_half_unit12(least(kt_shown_decimals(kt_num_text(p.price)), 10))
                    + CAST(p.price_value AS DECIMAL(38, 10))
                      * kt_half_unit12(least(kt_shown_decimals(left(p.executed_text, length(p.executed_text)
                                                                     - length(p.base))), 10)))
        END AS exact
    FROM parsed AS p
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    p.side_text AS side,
    p.price_value AS price,
    p.quantity,
    p.quote_quantity,
    p.fee_value AS fee,
    p.fee_asset,
    CAST(NULL AS VARCHAR) AS order_id,
    CAST(NULL AS VARCHAR) AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.time_utc IS NULL THEN $time_header
        WHEN p.base = '' THEN $h_pair
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN $h_side
        WHEN p.price_value IS NULL THEN $h_price
        WHEN p.quantity IS NULL THEN $h_executed
        WHEN p.quote_quantity IS NULL THEN $h_amount
        WHEN p.fee_value IS NULL THEN $h_fee
        WHEN abs(p.exact.product - p.quote_quantity) > p.exact.tolerance THEN $h_amount
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.date IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 2024-05-16 12:57:55'
        WHEN p.base = '' THEN 'the pair ' || kt_quoted(p.pair) || ' does not end with a known quote asset, and ' || $h_executed || ' and ' || $h_amount || ' do not show where to split it'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither BUY nor SELL'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.quantity IS NULL THEN 'the executed amount ' || kt_quoted(p.executed) || ' is not a number followed by ' || p.base
        WHEN p.quote_quantity IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number followed by ' || p.quote
        WHEN p.fee_value IS NULL THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number followed by an asset'
        WHEN abs(p.exact.product - p.quote_quantity) > p.exact.tolerance THEN 'the amount ' || kt_plain(p.quote_quantity) || ' '
            || p.quote || ' is not ' || $h_price || ' x ' || $h_executed || ' = ' || kt_plain(p.price_value) || ' x '
            || kt_plain(p.quantity) || ' = ' || kt_plain(p.exact.product) || ' ' || p.quote
            || ' (they differ by more than the file''s rounding, '
            || kt_plain(p.exact.tolerance) || '): was the row edited, or a column shifted?'
    END AS _bad_reason
FROM checked AS p
