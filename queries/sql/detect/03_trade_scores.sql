-- trade_scores: how strongly does each trade look like leaked-key abuse, and why?
-- Every trade of every account is scored with reason codes, each adding its points (queries/reasons.py,
-- bound as $points_<code>; the thresholds are [detection]'s):
--   ATTACK_SESSION       the trade is in an attack session (below): someone pumped a pair through
--                          this account within minutes of the trade.
--   PRICE_DEVIATION      fill more than $price_deviation away from the pair's reference price: the
--                          median close over the 24 h before the trade's hour, taken from another
--                          venue's price_bars for the same BASE/QUOTE when there are any (the victim's
--                          venue shows the pumped prices), else from the same venue.
--   THIN_PAIR            the pair's average daily quote volume over the 7 days before the trade's day
--                          (the busiest venue's bars, in USD) is below $thin_adv_usd.
--   SELL_ALL_BUY_ONE     the trade's session sells >= $sell_all_min_assets different assets and buys
--                          only one asset, in a thin or price-deviating pair, after the first sell.
--   BOT_BURST            the trade is in a run of $burst_min_trades consecutive trades of the account
--                          that spans at most $burst_seconds seconds (bot cadence).
--   CROSS_VICTIM         >= $cross_victim_min_accounts accounts have price-deviating fills in the same
--                          pair within the trade's hour and the hours either side.
--   SAME_COUNTER_ORDER   the trade's counter_order_id (KuCoin counterOrderId) also filled another
--                          account, or filled this account >= $counter_min_fills times.
--   LEAKED_KEY           a key of the account is in an imported leak (compromised_keys) and the trade
--                          is not older than the key.
--   API_CHANNEL          the export says the order came through the API.
--   NO_DEPOSIT_WITHDRAWAL the account's ledger is known and has no deposit or withdrawal within
--                          $quiet_hours hours of the trade's session ("hackers don't deposit"); judged
--                          for sessions with a buy in a thin pair or above the reference only.
--   BOT_EXPLAINED        (no points) a bot_orders row of the user's own bot platform explains the trade (same
--                          account, pair and side; same order id, or within $bot_match_seconds seconds
--                          with a quantity within 1%): such a trade is legitimate, whatever its score.
-- A session is the account's run of trades with gaps shorter than $session_gap_seconds. A session is an
-- attack session when it holds >= $min_pump_trades buys priced more than $price_deviation above the
-- reference. A trade is unauthorised when it is in an attack session, is not bot-explained and scores
-- >= $min_score (by default the attack session alone reaches it: every trade of the session that the
-- user's bot does not explain; raise min_score to demand corroborating codes as well). Contextual codes
-- (thin pair, burst, API, leaked key, no deposit) never decide alone.
-- Grain: one row per execution (exchange, account, evidence_sha256, source_row) of every account
-- detection_exclusions does not leave out.
-- Params: points_<code> (one per reason code), usd_stablecoins (queries/detect.py), price_deviation, thin_adv_usd, sell_all_min_assets, burst_seconds, burst_min_trades,
--   cross_victim_min_accounts, counter_min_fills, quiet_hours, bot_match_seconds, session_gap_seconds,
--   min_pump_trades, min_score.
WITH
bars AS (
    -- each (source, pair)'s finest bar interval, so that volumes are not counted twice
    SELECT source, pair, open_time, close, quote_volume, base_asset, quote_asset
    FROM (
        SELECT b.source, b.pair, b.open_time, b.close,
               coalesce(b.quote_volume, CAST(CAST(b.volume AS DECIMAL(38,8)) * b.close AS DECIMAL(38,8))) AS quote_volume,
               split_part(b.pair, '/', 1) AS base_asset, split_part(b.pair, '/', 2) AS quote_asset,
               rank() OVER (PARTITION BY b.source, b.pair ORDER BY
                   CAST(regexp_extract(b.interval, '^([0-9]+)', 1) AS BIGINT)
                   * CASE right(b.interval, 1) WHEN 's' THEN 1 WHEN 'm' THEN 60 WHEN 'h' THEN 3600
                                                WHEN 'd' THEN 86400 WHEN 'w' THEN 604800 ELSE 2592000 END
               ) AS finest
        FROM price_bars b
    ) x
    WHERE finest = 1
),
t AS (
    SELECT exchange, account, evidence_sha256, source_row, time_utc, pair, base_asset, quote_asset, side,
           price, counter_order_id, channel,
           date_trunc('hour', time_utc) AS hour_utc,
           date_trunc('day', time_utc) AS day_utc,
           epoch(time_utc) AS ts
    -- accounts whose evidence is in dispute are left out (detection_exclusions, the run's first step)
    FROM executions ANTI JOIN detection_exclusions USING (exchange, account)
),
pair_hours AS (
    SELECT DISTINCT exchange, pair, date_trunc('hour', time_utc) AS hour_utc FROM executions
),
bars_hourly AS (
    SELECT source, pair, date_trunc('hour', open_time) AS bucket, close FROM bars
),
lookback_hours AS (
    -- the 24 hour buckets before each (pair, hour): equi-joins keep the window scan linear
    SELECT ph.exchange, ph.pair, ph.hour_utc, ph.hour_utc - k.n * INTERVAL '1' HOUR AS bucket
    FROM pair_hours ph CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) AS k(n)
),
reference AS (
    SELECT lh.exchange, lh.pair, lh.hour_utc,
           coalesce(median(CASE WHEN b.source <> lh.exchange THEN b.close END), median(b.close)) AS reference_price
    FROM lookback_hours lh
    JOIN bars_hourly b ON b.pair = lh.pair AND b.bucket = lh.bucket
    GROUP BY lh.exchange, lh.pair, lh.hour_utc
),
pair_days AS (
    SELECT DISTINCT pair, quote_asset, date_trunc('day', time_utc) AS day_utc FROM executions
),
usd_bars AS (
    SELECT base_asset, date_trunc('hour', open_time) AS bucket, close FROM bars
    WHERE list_contains($usd_stablecoins, quote_asset)
),
quote_hours AS (
    SELECT q.quote_asset, q.day_utc, q.day_utc - k.n * INTERVAL '1' HOUR AS bucket
    FROM (SELECT DISTINCT quote_asset, day_utc FROM pair_days) q
    CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7), (8), (9), (10), (11), (12), (13), (14), (15), (16), (17), (18), (19), (20), (21), (22), (23), (24)) AS k(n)
),
quote_usd AS (
    SELECT q.quote_asset, q.day_utc,
           CASE WHEN list_contains($usd_stablecoins, q.quote_asset)
                THEN CAST(1 AS DECIMAL(38,18)) ELSE median(u.close) END AS usd
    FROM quote_hours q
    LEFT JOIN usd_bars u ON u.base_asset = q.quote_asset AND u.bucket = q.bucket
    GROUP BY q.quote_asset, q.day_utc
),
daily_volume AS (
    SELECT source, pair, date_trunc('day', open_time) AS day_bucket, sum(quote_volume) AS quote_volume
    FROM bars
    GROUP BY source, pair, date_trunc('day', open_time)
),
source_volume AS (
    SELECT pd.pair, pd.quote_asset, pd.day_utc, v.source, sum(v.quote_volume) AS quote_volume_7d
    FROM pair_days pd
    CROSS JOIN (VALUES (1), (2), (3), (4), (5), (6), (7)) AS k(n)
    JOIN daily_volume v ON v.pair = pd.pair AND v.day_bucket = pd.day_utc - k.n * INTERVAL '1' DAY
    GROUP BY pd.pair, pd.quote_asset, pd.day_utc, v.source
),
adv AS (
    SELECT sv.pair, sv.day_utc,
           CAST(max(CAST(sv.quote_volume_7d AS DECIMAL(38,10))) / 7 * max(CAST(q.usd AS DECIMAL(38,10)))
                AS DECIMAL(38,2)) AS pair_adv_usd
    FROM source_volume sv
    JOIN quote_usd q ON q.quote_asset = sv.quote_asset AND q.day_utc = sv.day_utc
    GROUP BY sv.pair, sv.day_utc
),
counter_orders AS (
    SELECT c.exchange, c.account, c.counter_order_id, c.fills, a.counter_accounts
    FROM (SELECT exchange, account, counter_order_id, count(*) AS fills
          FROM executions ANTI JOIN detection_exclusions USING (exchange, account)
          WHERE counter_order_id IS NOT NULL
          GROUP BY exchange, account, counter_order_id) c
    JOIN (SELECT counter_order_id, count(DISTINCT exchange || ':' || account) AS counter_accounts
          FROM executions ANTI JOIN detection_exclusions USING (exchange, account)
          WHERE counter_order_id IS NOT NULL
          GROUP BY counter_order_id) a ON a.counter_order_id = c.counter_order_id
),
bot_explained AS (
    SELECT DISTINCT t.exchange, t.account, t.evidence_sha256, t.source_row
    FROM executions t
    JOIN bot_orders b ON b.account = t.account AND b.pair = t.pair AND b.side = t.side
                     AND (b.exchange IS NULL OR b.exchange = t.exchange)
    WHERE (b.order_id IS NOT NULL AND b.order_id = t.order_id)
       OR (abs(epoch(b.time_utc) - epoch(t.time_utc)) <= $bot_match_seconds
           AND (b.quantity IS NULL OR abs(b.quantity - t.quantity) <= t.quantity / 100))
),
leaked_accounts AS (
    SELECT exchange, account, min(key_created_utc) AS key_created_utc,
           max(CASE WHEN key_created_utc IS NULL THEN 1 ELSE 0 END) AS any_undated
    FROM compromised_keys
    WHERE account IS NOT NULL
    GROUP BY exchange, account
),
featured AS (
    SELECT t.*, r.reference_price, a.pair_adv_usd,
           CASE WHEN r.reference_price > 0 THEN t.price / r.reference_price - 1 END AS dev,
           -- a run of $burst_min_trades consecutive fills within $burst_seconds s starts, ends or is
           -- centred at this fill (one sort serves these and the session split)
           CASE WHEN lead(t.ts, $burst_min_trades - 1) OVER w - t.ts <= $burst_seconds
                  OR t.ts - lag(t.ts, $burst_min_trades - 1) OVER w <= $burst_seconds
                  OR lead(t.ts, CAST(($burst_min_trades - 1) / 2 AS INTEGER)) OVER w
                     - lag(t.ts, $burst_min_trades - 1 - CAST(($burst_min_trades - 1) / 2 AS INTEGER)) OVER w
                     <= $burst_seconds
                THEN 1 ELSE 0 END AS burst,
           CASE WHEN t.ts - lag(t.ts) OVER w <= $session_gap_seconds THEN 0 ELSE 1 END AS new_session
    FROM t
    LEFT JOIN reference r ON r.exchange = t.exchange AND r.pair = t.pair AND r.hour_utc = t.hour_utc
    LEFT JOIN adv a ON a.pair = t.pair AND a.day_utc = t.day_utc
    WINDOW w AS (PARTITION BY t.exchange, t.account ORDER BY t.ts, t.evidence_sha256, t.source_row)
),
sessioned AS (
    SELECT f.*,
           sum(new_session) OVER (PARTITION BY exchange, account ORDER BY ts, evidence_sha256, source_row
                                  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS session_id,
           CASE WHEN dev IS NOT NULL AND abs(dev) > $price_deviation THEN 1 ELSE 0 END AS price_far,
           CASE WHEN side = 'buy' AND dev IS NOT NULL AND dev > $price_deviation THEN 1 ELSE 0 END AS pump_buy,
           CASE WHEN pair_adv_usd IS NOT NULL AND pair_adv_usd < $thin_adv_usd THEN 1 ELSE 0 END AS thin
    FROM featured f
),
candidate_sessions AS (
    -- only sessions with a buy in a thin pair or above the reference can be attack or sell-all sessions
    SELECT DISTINCT exchange, account, session_id
    FROM sessioned
    WHERE side = 'buy' AND (thin = 1 OR pump_buy = 1)
),
sessions AS (
    SELECT s.exchange, s.account, s.session_id,
           min(s.time_utc) AS start_utc, max(s.time_utc) AS end_utc,
           count(DISTINCT CASE WHEN s.side = 'sell' THEN s.base_asset END) AS sell_assets,
           count(DISTINCT CASE WHEN s.side = 'buy' THEN s.base_asset END) AS buy_assets,
           min(CASE WHEN s.side = 'sell' THEN s.time_utc END) AS first_sell,
           min(CASE WHEN s.side = 'buy' THEN s.time_utc END) AS first_buy,
           max(CASE WHEN s.side = 'buy' AND (s.thin = 1 OR s.pump_buy = 1) THEN 1 ELSE 0 END) AS suspicious_buy,
           sum(s.pump_buy) AS pump_buys
    FROM sessioned s
    JOIN candidate_sessions c ON c.exchange = s.exchange AND c.account = s.account AND c.session_id = s.session_id
    GROUP BY s.exchange, s.account, s.session_id
),
ledger_accounts AS (
    SELECT DISTINCT exchange, account FROM ledger_movements
),
session_money_moves AS (
    SELECT DISTINCT s.exchange, s.account, s.session_id
    FROM sessions s
    JOIN ledger_movements m ON m.exchange = s.exchange AND m.account = s.account
                           AND m.kind IN ('deposit', 'withdrawal')
                           AND m.time_utc >= s.start_utc - $quiet_hours * INTERVAL '1' HOUR
                           AND m.time_utc <= s.end_utc + $quiet_hours * INTERVAL '1' HOUR
),
pair_hour_deviators AS (
    SELECT DISTINCT pair, hour_utc, exchange, account FROM sessioned WHERE price_far = 1
),
cross_victim AS (
    SELECT h.pair, h.hour_utc, count(DISTINCT d.exchange || ':' || d.account) AS accounts
    FROM (SELECT DISTINCT pair, hour_utc FROM pair_hour_deviators) h
    JOIN pair_hour_deviators d ON d.pair = h.pair
                              AND d.hour_utc >= h.hour_utc - INTERVAL '1' HOUR
                              AND d.hour_utc <= h.hour_utc + INTERVAL '1' HOUR
    GROUP BY h.pair, h.hour_utc
),
flags AS (
    SELECT s.exchange, s.account, s.evidence_sha256, s.source_row, s.time_utc, s.pair, s.side, s.price,
           s.reference_price, s.dev, s.pair_adv_usd, s.session_id,
           s.price_far,
           s.thin,
           CASE WHEN ss.sell_assets >= $sell_all_min_assets AND ss.buy_assets = 1 AND ss.suspicious_buy = 1
                     AND ss.first_buy >= ss.first_sell THEN 1 ELSE 0 END AS sell_all,
           s.burst,
           CASE WHEN cv.accounts >= $cross_victim_min_accounts THEN 1 ELSE 0 END AS synchrony,
           CASE WHEN co.counter_accounts >= 2 OR co.fills >= $counter_min_fills THEN 1 ELSE 0 END AS counter,
           CASE WHEN la.account IS NOT NULL
                     AND (la.any_undated = 1 OR s.time_utc >= la.key_created_utc) THEN 1 ELSE 0 END AS leaked,
           CASE WHEN lower(s.channel) = 'api' THEN 1 ELSE 0 END AS api,
           CASE WHEN ss.account IS NOT NULL AND lg.account IS NOT NULL AND mm.account IS NULL THEN 1 ELSE 0 END
               AS quiet,
           CASE WHEN be.source_row IS NOT NULL THEN 1 ELSE 0 END AS bot,
           CASE WHEN coalesce(ss.pump_buys, 0) >= $min_pump_trades THEN 1 ELSE 0 END AS attack
    FROM sessioned s
    LEFT JOIN sessions ss ON ss.exchange = s.exchange AND ss.account = s.account AND ss.session_id = s.session_id
    LEFT JOIN cross_victim cv ON cv.pair = s.pair AND cv.hour_utc = s.hour_utc
    LEFT JOIN counter_orders co ON co.exchange = s.exchange AND co.account = s.account
                               AND co.counter_order_id = s.counter_order_id
    LEFT JOIN leaked_accounts la ON la.exchange = s.exchange AND la.account = s.account
    LEFT JOIN ledger_accounts lg ON lg.exchange = s.exchange AND lg.account = s.account
    LEFT JOIN session_money_moves mm ON mm.exchange = s.exchange AND mm.account = s.account
                                    AND mm.session_id = s.session_id
    LEFT JOIN bot_explained be ON be.exchange = s.exchange AND be.account = s.account
                            AND be.evidence_sha256 = s.evidence_sha256 AND be.source_row = s.source_row
),
scored AS (
    SELECT f.*,
           $points_attack_session * attack + $points_price_deviation * price_far + $points_thin_pair * thin
           + $points_sell_all_buy_one * sell_all + $points_bot_burst * burst + $points_cross_victim * synchrony
           + $points_same_counter_order * counter + $points_leaked_key * leaked + $points_api_channel * api
           + $points_no_deposit_withdrawal * quiet AS score,
           concat_ws(';',
               CASE WHEN attack = 1 THEN 'ATTACK_SESSION' END,
               CASE WHEN price_far = 1 THEN 'PRICE_DEVIATION' END,
               CASE WHEN thin = 1 THEN 'THIN_PAIR' END,
               CASE WHEN sell_all = 1 THEN 'SELL_ALL_BUY_ONE' END,
               CASE WHEN burst = 1 THEN 'BOT_BURST' END,
               CASE WHEN synchrony = 1 THEN 'CROSS_VICTIM' END,
               CASE WHEN counter = 1 THEN 'SAME_COUNTER_ORDER' END,
               CASE WHEN leaked = 1 THEN 'LEAKED_KEY' END,
               CASE WHEN api = 1 THEN 'API_CHANNEL' END,
               CASE WHEN quiet = 1 THEN 'NO_DEPOSIT_WITHDRAWAL' END,
               CASE WHEN bot = 1 THEN 'BOT_EXPLAINED' END) AS reasons
    FROM flags f
)
SELECT exchange, account, evidence_sha256, source_row, time_utc, pair, side, price, reference_price,
       CAST(dev AS DECIMAL(38,6)) AS deviation, pair_adv_usd, session_id,
       attack = 1 AS attack_session,
       bot = 1 AS bot_explained,
       CAST(score AS INTEGER) AS score,
       reasons,
       (attack = 1 AND bot = 0 AND score >= $min_score) AS unauthorized
FROM scored
