-- 05_ledger_groups: can each ledger group be read as trades, and what are they?
-- Grain: one row per (group, side) that holds a base leg, plus one row per group with trade legs that
-- cannot be read (groups of fee legs only, such as futures funding fees, are not trades: left out).
-- A group is read when each side that holds legs has exactly one base asset, base and quote amounts
-- above 0, and fees in at most one asset. A fee leg goes to the group's only side; with both sides it
-- goes to the side that received its asset (the buy's base, the sell's quote), else the group is not
-- read. A group that is not read yields no execution and a `legs_unpaired` conflict (11_conflicts.sql).
-- price = quote / base exactly, truncated to 18 decimal places (the units of kt_units divided by
-- kt_frac18, core/sql/macros.sql; NULL when the base holds 1e17 or more whole units or the price has more
-- than 20 integer digits: a `price_not_derivable` conflict).
-- The same group side in several statements of the account (two exports of one period, in either
-- operation style) agrees on (second, pair, side, quantity, quote quantity) and its position k among such
-- sides of its own file: one stands for all (exec_rk, the first by rk), like overlapping fills.
-- Columns: gid, exchange, account, side (NULL for an unread group), ok, reason, time_utc, sec, pair,
--   base_asset, quote_asset, quantity, quote_quantity, price, fee, fee_asset, ref_id, rk (the first trade
--   leg of the side, or the group's id), exec_rk (the side that stands for it; NULL when unread).
-- Params: none.
CREATE TEMP TABLE rc_ledger_group AS
WITH sides AS (
    SELECT gid, leg_side AS side,
           min(asset) FILTER (WHERE base_flag) AS base,
           max(asset) FILTER (WHERE base_flag) AS base_max,
           sum(abs(amount)) FILTER (WHERE base_flag) AS base_qty,
           sum(abs(amount)) FILTER (WHERE NOT base_flag) AS quote_qty,
           min(rk) AS rk
    FROM rc_leg
    WHERE NOT is_fee AND leg_side IS NOT NULL
    GROUP BY gid, leg_side
),
group_sides AS (
    SELECT gid, count(*) AS n_sides, min(side) AS only_side,
           max(CASE WHEN side = 'buy' THEN base END) AS buy_base,
           bool_and(base IS NOT NULL AND base = base_max AND base_qty > 0 AND coalesce(quote_qty, 0) > 0) AS sides_ok
    FROM sides
    GROUP BY gid
),
fees AS (   -- every fee with the side it belongs to: fee legs, and the fee column of trade legs
    SELECT l.gid,
           CASE WHEN NOT l.is_fee THEN l.leg_side
                WHEN g.n_sides = 1 THEN g.only_side
                WHEN l.asset = g.buy_base THEN 'buy'
                WHEN l.asset = l.quote THEN 'sell'
           END AS side,
           l.asset,
           CASE WHEN l.is_fee THEN -l.amount ELSE l.fee END AS fee
    FROM rc_leg AS l
    JOIN group_sides AS g ON g.gid = l.gid
    WHERE l.is_fee OR coalesce(l.fee, 0) <> 0
),
fee_sides AS (
    SELECT gid, side, min(asset) AS fee_asset, max(asset) AS fee_asset_max, sum(fee) AS fee
    FROM fees
    GROUP BY gid, side
),
fee_problems AS (
    SELECT gid, bool_or(side IS NULL) AS unassigned, bool_or(fee_asset <> fee_asset_max) AS several
    FROM fee_sides
    GROUP BY gid
),
group_info AS (
    SELECT gid, min(exchange) AS exchange, min(account) AS account, min(group_time) AS time_utc, min(sec) AS sec,
           min(quote) AS quote, min(ref_id) AS ref_id
    FROM rc_leg
    GROUP BY gid
),
verdict AS (
    SELECT i.*,
           CASE
               WHEN g.gid IS NULL THEN 'the group holds one asset only, no trade of two assets'
               WHEN NOT g.sides_ok THEN 'its legs cannot be paired into one trade of one base asset per side'
               WHEN fp.unassigned THEN 'a fee leg cannot be assigned to the buy or the sell of the group'
               WHEN fp.several THEN 'the fees of one side are in several assets'
           END AS reason
    FROM group_info AS i
    LEFT JOIN group_sides AS g ON g.gid = i.gid
    LEFT JOIN fee_problems AS fp ON fp.gid = i.gid
    WHERE i.time_utc IS NOT NULL
),
readable AS (
    SELECT v.gid, v.exchange, v.account, s.side, v.time_utc, v.sec, s.base, v.quote, s.base_qty, s.quote_qty,
           f.fee, f.fee_asset, v.ref_id, s.rk,
           kt_units(s.quote_qty) AS qu,
           CASE WHEN s.base_qty < 100000000000000000 THEN kt_units(s.base_qty) END AS bu  -- NULL: no exact price
    FROM verdict AS v
    JOIN sides AS s ON s.gid = v.gid
    LEFT JOIN fee_sides AS f ON f.gid = v.gid AND f.side = s.side
    WHERE v.reason IS NULL
),
divided AS (
    SELECT r.*, r.qu // r.bu AS int_part, r.qu % r.bu AS rem
    FROM readable AS r
),
out AS (
    SELECT d.gid, d.exchange, d.account, d.side, TRUE AS ok, CAST(NULL AS VARCHAR) AS reason, d.time_utc, d.sec,
           d.base || '/' || d.quote AS pair, d.base AS base_asset, d.quote AS quote_asset,
           d.base_qty AS quantity, d.quote_qty AS quote_quantity,
           kt_from_units(d.int_part, kt_frac18(d.rem, d.bu)) AS price,
           d.fee, d.fee_asset, d.ref_id, d.rk
    FROM divided AS d
    UNION ALL
    SELECT v.gid, v.exchange, v.account, NULL, FALSE, v.reason, v.time_utc, v.sec, NULL, NULL, NULL, NULL, NULL,
           NULL, NULL, NULL, v.ref_id, v.gid
    FROM verdict AS v
    WHERE v.reason IS NOT NULL
),
numbered AS (
    SELECT o.*,
           CASE WHEN o.ok THEN row_number() OVER (PARTITION BY o.exchange, o.account, o.rk // 68719476736, o.sec,
                                                               o.pair, o.side, o.quantity, o.quote_quantity
                                                  ORDER BY o.rk) END AS k
    FROM out AS o
)
SELECT n.* EXCLUDE (k),
       CASE WHEN n.ok THEN min(n.rk) OVER (PARTITION BY n.exchange, n.account, n.ok, n.sec, n.pair, n.side, n.quantity,
                                                        n.quote_quantity, n.k) END AS exec_rk
FROM numbered AS n
