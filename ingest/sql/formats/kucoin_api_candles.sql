-- kucoin_api_candles: the candle records of a KuCoin REST response (GET /api/v1/market/candles) as canonical
-- price bars. KuCoin orders a candle [time, open, close, high, low, volume, turnover]; ingest.convert has
-- named the fields, so nothing here depends on that order.
-- Grain: one row per candle record (kucoin_api_record = 'candle'). Columns: source_row, account (NULL), the
--        price_bars columns, _bad_column, _bad_reason.
-- Params: none. The candle time is epoch seconds; the interval comes from the endpoint or the file name.
WITH parsed AS (
    SELECT
        r.source_row,
        r.symbol,
        r.interval,
        r.createdat,
        try_cast(trim(r.createdat) AS BIGINT) AS epoch_s,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 1)) AS base,
        upper(split_part(trim(coalesce(r.symbol, '')), '-', 2)) AS quote,
        r.open,
        r.close,
        r.high,
        r.low,
        r.volume,
        r.turnover
    FROM raw AS r
    WHERE r.kucoin_api_record = 'candle'
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CASE WHEN p.base <> '' AND p.quote <> '' THEN p.base || '/' || p.quote END AS pair,
    nullif(trim(p.interval), '') AS interval,
    CAST(make_timestamp(p.epoch_s * 1000000) AS TIMESTAMPTZ) AS open_time,
    kt_dec(p.open) AS open,
    kt_dec(p.high) AS high,
    kt_dec(p.low) AS low,
    kt_dec(p.close) AS close,
    kt_dec(p.volume) AS volume,
    kt_dec(p.turnover) AS quote_volume,
    CAST(NULL AS BIGINT) AS trade_count,
    CASE
        WHEN p.base = '' OR p.quote = '' THEN 'symbol'
        WHEN nullif(trim(p.interval), '') IS NULL THEN 'type'
        WHEN p.epoch_s IS NULL OR p.epoch_s <= 0 THEN 'time'
    END AS _bad_column,
    CASE
        WHEN p.base = '' OR p.quote = '' THEN 'the symbol of the candles is unknown: keep the endpoint (symbol=BTC-USDT) or name the file like kucoin_BTC-USDT_1hour.json'
        WHEN nullif(trim(p.interval), '') IS NULL THEN 'the candle interval is unknown: keep the endpoint (type=1hour) or name the file like kucoin_BTC-USDT_1hour.json'
        WHEN p.epoch_s IS NULL OR p.epoch_s <= 0 THEN 'the candle time ' || kt_quoted(p.createdat) || ' is not epoch seconds'
    END AS _bad_reason
FROM parsed AS p
