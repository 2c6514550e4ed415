-- report_account_reference_prices: reference closes for each pair the account traded without
-- authorisation, from 24 hours before its first unauthorised trade on the pair to 2 hours after the last.
-- One source per pair: another venue's prices are preferred over the victim's own venue (which shows
-- the pumped prices), then the finest interval, then the source with most bars in the window.
-- Grain: one row per (pair, bar) of the chosen source and interval.
-- Params: $exchange, $account.
WITH windows AS (
    SELECT pair, min(time_utc) - INTERVAL '24' HOUR AS w_start, max(time_utc) + INTERVAL '2' HOUR AS w_end
    FROM unauthorized_trades
    WHERE exchange = $exchange AND account = $account
    GROUP BY pair
),
candidates AS (
    SELECT b.pair, b.source, b.interval, count(*) AS bars,
           CASE b.interval WHEN '1m' THEN 1 WHEN '3m' THEN 2 WHEN '5m' THEN 3 WHEN '15m' THEN 4
                           WHEN '30m' THEN 5 WHEN '1h' THEN 6 WHEN '4h' THEN 7 WHEN '1d' THEN 8 ELSE 9 END AS fineness
    FROM price_bars b
    JOIN windows w ON w.pair = b.pair AND b.open_time BETWEEN w.w_start AND w.w_end
    GROUP BY b.pair, b.source, b.interval
),
chosen AS (
    SELECT pair, source, interval
    FROM (SELECT pair, source, interval,
                 row_number() OVER (PARTITION BY pair
                                    ORDER BY CASE WHEN source = $exchange THEN 1 ELSE 0 END, fineness,
                                             bars DESC, source) AS rn
          FROM candidates) ranked
    WHERE rn = 1
)
SELECT b.source, b.pair, b.interval, b.open_time, b.close
FROM price_bars b
JOIN chosen c ON c.pair = b.pair AND c.source = b.source AND c.interval = b.interval
JOIN windows w ON w.pair = b.pair
WHERE b.open_time BETWEEN w.w_start AND w.w_end
ORDER BY b.pair, b.open_time
