-- merge_price_bars: add the staged bars whose (source, pair, interval, open_time) is new.
-- Grain: inserts one price_bars row per new bar; a bar already stored (from this file or an overlapping
-- one) is kept as it is, so re-ingesting changes nothing.
-- Params: $exchange (the source venue), $sha, $run_id.
INSERT INTO price_bars (source, pair, interval, open_time, open, high, low, close, volume, quote_volume,
                        trade_count, evidence_sha256, source_row, ingest_run_id)
SELECT
    $exchange,
    f.pair,
    f.interval,
    f.open_time,
    f.open,
    f.high,
    f.low,
    f.close,
    f.volume,
    f.quote_volume,
    f.trade_count,
    $sha,
    f.source_row,
    $run_id
FROM stage.final AS f
WHERE NOT EXISTS (
    SELECT 1
    FROM price_bars AS b
    WHERE b.source = $exchange
      AND b.pair = f.pair
      AND b.interval = f.interval
      AND b.open_time = f.open_time
)
