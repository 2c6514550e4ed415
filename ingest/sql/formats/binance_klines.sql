-- binance_klines: a Binance public kline file (open_time,open,high,low,close,volume,close_time,quote_volume,
-- count,taker_buy_volume,taker_buy_quote_volume,ignore; the header is written by ingest.convert) as
-- canonical price bars.
-- Grain: one row per data row (one bar). Columns: source_row, account (NULL), the price_bars columns,
--        _bad_column, _bad_reason.
-- Params: $kline_pair (BASE/QUOTE from the file name), $kline_interval. Open times of 16 or more digits
--         are microseconds (files from 2025), shorter ones milliseconds.
WITH parsed AS (
    SELECT
        r.source_row,
        r.open_time,
        r.open,
        r.high,
        r.low,
        r.close,
        r.volume,
        r.quote_volume,
        r.count,
        try_cast(trim(r.open_time) AS BIGINT) AS epoch
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    $kline_pair AS pair,
    $kline_interval AS interval,
    CAST(make_timestamp(CASE WHEN length(trim(p.open_time)) >= 16 THEN p.epoch ELSE p.epoch * 1000 END)
         AS TIMESTAMPTZ) AS open_time,
    kt_dec(p.open) AS open,
    kt_dec(p.high) AS high,
    kt_dec(p.low) AS low,
    kt_dec(p.close) AS close,
    kt_dec(p.volume) AS volume,
    kt_dec(p.quote_volume) AS quote_volume,
    try_cast(trim(p.count) AS BIGINT) AS trade_count,
    CASE
        WHEN p.epoch IS NULL OR p.epoch <= 0 THEN 'open_time'
        WHEN kt_dec(p.open) IS NULL THEN 'open'
        WHEN kt_dec(p.high) IS NULL THEN 'high'
        WHEN kt_dec(p.low) IS NULL THEN 'low'
        WHEN kt_dec(p.close) IS NULL THEN 'close'
        WHEN kt_dec(p.volume) IS NULL THEN 'volume'
        WHEN kt_bad(p.quote_volume) THEN 'quote_volume'
    END AS _bad_column,
    CASE
        WHEN p.epoch IS NULL OR p.epoch <= 0 THEN 'the open time ' || kt_quoted(p.open_time) || ' is not epoch milliseconds or microseconds'
        WHEN kt_dec(p.open) IS NULL THEN 'the open price ' || kt_quoted(p.open) || ' is not a number'
        WHEN kt_dec(p.high) IS NULL THEN 'the high price ' || kt_quoted(p.high) || ' is not a number'
        WHEN kt_dec(p.low) IS NULL THEN 'the low price ' || kt_quoted(p.low) || ' is not a number'
        WHEN kt_dec(p.close) IS NULL THEN 'the close price ' || kt_quoted(p.close) || ' is not a number'
        WHEN kt_dec(p.volume) IS NULL THEN 'the volume ' || kt_quoted(p.volume) || ' is not a number'
        WHEN kt_bad(p.quote_volume) THEN 'the quote volume ' || kt_quoted(p.quote_volume) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
