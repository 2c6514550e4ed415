-- campaign_accounts: which attack sessions belong together, and to which campaign?
-- An account's attack session (its unauthorised trades of one session in trade_scores) targets the pair
-- in which it has the most buys priced more than $price_deviation above the reference (ties: the first
-- pair by name). Sessions that target the same pair are one campaign while each starts no later than
-- $campaign_gap_hours hours after the latest end of the sessions before it (sorted by start).
-- campaign_id = first 16 hex digits of md5(pair || '|' || ISO start of the campaign's first session).
-- Grain: one row per (exchange, account, session_id) with at least one unauthorised trade.
-- Params: price_deviation, campaign_gap_hours.
WITH u AS (
    SELECT exchange, account, session_id, pair, side, time_utc, deviation
    FROM trade_scores
    WHERE unauthorized
),
session_span AS (
    SELECT exchange, account, session_id, min(time_utc) AS first_utc, max(time_utc) AS last_utc,
           count(*) AS trades
    FROM u
    GROUP BY exchange, account, session_id
),
pumped AS (
    SELECT exchange, account, session_id, pair, count(*) AS pump_buys
    FROM u
    WHERE side = 'buy' AND deviation > $price_deviation
    GROUP BY exchange, account, session_id, pair
),
target AS (
    SELECT exchange, account, session_id, pair
    FROM (
        SELECT p.*, row_number() OVER (PARTITION BY exchange, account, session_id
                                       ORDER BY pump_buys DESC, pair) AS rn
        FROM pumped p
    ) x
    WHERE rn = 1
),
ordered AS (
    SELECT s.exchange, s.account, s.session_id, s.first_utc, s.last_utc, s.trades, g.pair,
           max(s.last_utc) OVER (PARTITION BY g.pair ORDER BY s.first_utc, s.exchange, s.account, s.session_id
                                 ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_end
    FROM session_span s
    JOIN target g ON g.exchange = s.exchange AND g.account = s.account AND g.session_id = s.session_id
),
numbered AS (
    SELECT o.*,
           sum(CASE WHEN prev_end IS NULL OR first_utc > prev_end + $campaign_gap_hours * INTERVAL '1' HOUR
                    THEN 1 ELSE 0 END)
               OVER (PARTITION BY pair ORDER BY first_utc, exchange, account, session_id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS cluster_no
    FROM ordered o
),
clustered AS (
    SELECT n.*, min(first_utc) OVER (PARTITION BY pair, cluster_no) AS campaign_start
    FROM numbered n
)
SELECT substr(md5(pair || '|' || strftime(campaign_start, '%Y-%m-%dT%H:%M:%S.%fZ')), 1, 16) AS campaign_id,
       pair, exchange, account, session_id, first_utc, last_utc, trades, CAST(NULL AS DECIMAL(38,8)) AS loss_usd
FROM clustered
