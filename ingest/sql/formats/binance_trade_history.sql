-- binance_trade_history: Binance Spot "Trade History" (Date(UTC),Pair,Side,Price,Executed,Amount,Fee)
-- as canonical trades.
-- Grain: one row per data row of the file (one fill).
-- Columns: source_row, account (NULL: the export carries no UID), the trades columns, _bad_column,
--          _bad_reason (NULL when the row is good).
-- Params: $time_format, $offset_minutes (zone of the Date(UTC+N) header), $time_header,
--         $pair_regex (fused pair -> base, quote), $asset_suffix_regex (asset at the end of the fee).
WITH samples AS (
    -- a file holds few distinct pairs: split each once (with one of its rows' amounts), then join
    SELECT
        r.pair,
        upper(trim(r.pair)) AS pair_text,
        upper(kt_num_text(any_value(r.executed))) AS executed_sample,
        upper(kt_num_text(any_value(r.amount))) AS amount_sample
    FROM raw AS r
    GROUP BY r.pair
),
cuts AS (
    SELECT
        m.*,
        regexp_extract(m.pair_text, $pair_regex, 1) AS listed_base,
        regexp_extract(m.pair_text, $pair_regex, 2) AS listed_quote,
        -- a quote asset keytrace does not list: the cut where Executed ends with the base and Amount
        -- with the quote, each right after a digit; used only when exactly one cut fits
        list_filter(range(1, length(m.pair_text)), lambda k:
            ends_with(m.executed_sample, left(m.pair_text, k))
            AND ends_with(m.amount_sample, right(m.pair_text, length(m.pair_text) - k))
            AND regexp_matches(left(m.executed_sample, length(m.executed_sample) - k), '[0-9]$')
            AND regexp_matches(left(m.amount_sample, length(m.amount_sample) - length(m.pair_text) + k), '[0-9]$')
        ) AS fitting
    FROM samples AS m
),
pairs AS (
    SELECT
        c.pair,
        CASE WHEN c.listed_base <> '' THEN c.listed_base
             WHEN len(c.fitting) = 1 THEN left(c.pair_text, c.fitting[1])
        END AS base,
        CASE WHEN c.listed_base <> '' THEN c.listed_quote
             WHEN len(c.fitting) = 1 THEN right(c.pair_text, length(c.pair_text) - c.fitting[1])
        END AS quote
    FROM cuts AS c
),
split AS (
    SELECT
        r.source_row,
        r.date,
        r.pair,
        r.side,
        r.price,
        r.executed,
        r.amount,
        r.fee,
        coalesce(p.base, '') AS base,
        coalesce(p.quote, '') AS quote,
        upper(kt_num_text(r.executed)) AS executed_text,
        upper(kt_num_text(r.amount)) AS amount_text,
        upper(kt_num_text(r.fee)) AS fee_text
    FROM raw AS r
    LEFT JOIN pairs AS p ON p.pair = r.pair
),
assets AS (
    SELECT
        s.*,
        CASE
            WHEN s.base <> '' AND ends_with(s.fee_text, s.base) THEN s.base
            WHEN s.quote <> '' AND ends_with(s.fee_text, s.quote) THEN s.quote
            ELSE nullif(regexp_extract(s.fee_text, $asset_suffix_regex, 1), '')
        END AS fee_asset
    FROM split AS s
),
parsed AS (
    SELECT
        a.*,
        kt_time(a.date, $time_format, $offset_minutes) AS time_utc,
        lower(trim(a.side)) AS side_text,
        kt_dec(a.price) AS price_value,
        CASE WHEN a.base <> '' AND ends_with(a.executed_text, a.base)
             THEN try_cast(left(a.executed_text, length(a.executed_text) - length(a.base)) AS DECIMAL(38, 18))
        END AS quantity,
        CASE WHEN a.quote <> '' AND ends_with(a.amount_text, a.quote)
             THEN try_cast(left(a.amount_text, length(a.amount_text) - length(a.quote)) AS DECIMAL(38, 18))
        END AS quote_quantity,
        CASE WHEN a.fee_asset IS NOT NULL
             THEN try_cast(left(a.fee_text, length(a.fee_text) - length(a.fee_asset)) AS DECIMAL(38, 18))
        END AS fee_value
    FROM assets AS a
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
        WHEN p.base = '' THEN 'Pair'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'Side'
        WHEN p.price_value IS NULL THEN 'Price'
        WHEN p.quantity IS NULL THEN 'Executed'
        WHEN p.quote_quantity IS NULL THEN 'Amount'
        WHEN p.fee_value IS NULL THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.date IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 2024-05-16 12:57:55'
        WHEN p.base = '' THEN 'the pair ' || kt_quoted(p.pair) || ' does not end with a known quote asset, and Executed and Amount do not show where to split it'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('buy', 'sell') THEN 'the side ' || kt_quoted(p.side) || ' is neither BUY nor SELL'
        WHEN p.price_value IS NULL THEN 'the price ' || kt_quoted(p.price) || ' is not a number'
        WHEN p.quantity IS NULL THEN 'the executed amount ' || kt_quoted(p.executed) || ' is not a number followed by ' || p.base
        WHEN p.quote_quantity IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number followed by ' || p.quote
        WHEN p.fee_value IS NULL THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number followed by an asset'
    END AS _bad_reason
FROM parsed AS p
