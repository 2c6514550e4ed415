-- 04_ledger_groups: can each ledger group be read as trades, and what are they?
-- Grain: one row per (group, side) that holds a base leg, plus one row per group with trade legs that
-- cannot be read (groups of fee legs only, such as futures funding fees, are not trades and are left out).
-- A group is read when each side that holds legs has exactly one base asset, base and quote amounts
-- above 0, and fees in at most one asset. A fee leg goes to the group's only side; with both sides it
-- goes to the side that received its asset (the buy's base, the sell's quote), else the group is not
-- read. A group that is not read yields no execution and a `legs_unpaired` conflict (05_..., 08_...).
-- Columns: gk, exchange, account, side (NULL for an unread group), ok, reason, time_utc, sec, pair,
--   base_asset, quote_asset, quantity, quote_quantity, fee, fee_asset, ref_id, rk (the first trade leg
--   of the side, or of the group), rows_text ('3;4;5', the group's rows in its first file). Params: none.
CREATE TEMP TABLE rc_ledger_group AS
WITH sides AS (
    SELECT gk, leg_side AS side,
           count(DISTINCT CASE WHEN base_flag THEN asset END) AS n_base,
           min(CASE WHEN base_flag THEN asset END) AS base,
           sum(CASE WHEN base_flag THEN abs(amount) END) AS base_qty,
           sum(CASE WHEN NOT base_flag THEN abs(amount) END) AS quote_qty,
           min(rk) AS rk
    FROM rc_leg
    WHERE leg_role = 'leg' AND leg_side IS NOT NULL
    GROUP BY gk, leg_side
),
group_sides AS (
    SELECT gk, count(*) AS n_sides, min(side) AS only_side,
           max(CASE WHEN side = 'buy' THEN base END) AS buy_base,
           bool_and(n_base = 1 AND base_qty > 0 AND quote_qty > 0) AS sides_ok
    FROM sides
    GROUP BY gk
),
fees AS (
    -- every fee with the side it belongs to: fee legs, and the fee column of trade legs
    SELECT l.gk,
           CASE WHEN l.leg_role = 'leg' THEN l.leg_side
                WHEN g.n_sides = 1 THEN g.only_side
                WHEN l.asset = g.buy_base THEN 'buy'
                WHEN l.asset = l.quote THEN 'sell'
           END AS side,
           l.asset,
           CASE WHEN l.leg_role = 'fee_leg' THEN -l.amount ELSE l.fee END AS fee
    FROM rc_leg AS l
    JOIN group_sides AS g ON g.gk = l.gk
    WHERE (l.leg_role = 'fee_leg' AND l.amount <> 0) OR (l.leg_role = 'leg' AND coalesce(l.fee, 0) <> 0)
),
fee_sides AS (
    SELECT gk, side, count(DISTINCT asset) AS n_assets, min(asset) AS fee_asset, sum(fee) AS fee
    FROM fees
    GROUP BY gk, side
),
fee_problems AS (
    SELECT gk, bool_or(side IS NULL) AS unassigned, bool_or(n_assets > 1) AS several
    FROM fee_sides
    GROUP BY gk
),
first_files AS (
    SELECT gk, min(evidence_sha256) AS first_sha FROM rc_leg GROUP BY gk
),
group_info AS (
    SELECT l.gk, min(l.exchange) AS exchange, min(l.account) AS account, min(l.group_time) AS time_utc,
           min(l.sec) AS sec, min(l.quote) AS quote, min(l.ref_id) AS ref_id, min(l.rk) AS first_rk,
           string_agg(CAST(l.source_row AS VARCHAR), ';' ORDER BY l.source_row)
               FILTER (WHERE l.evidence_sha256 = ff.first_sha) AS rows_text,
           count(DISTINCT l.asset) AS n_assets
    FROM rc_leg AS l
    JOIN first_files AS ff ON ff.gk = l.gk
    GROUP BY l.gk
),
verdict AS (
    SELECT i.*,
           CASE
               WHEN g.gk IS NULL THEN 'the group holds fee legs or one asset only, no trade of two assets'
               WHEN NOT g.sides_ok THEN 'the legs hold ' || i.n_assets || ' assets, and they cannot be paired '
                                         || 'into one trade per side'
               WHEN fp.unassigned THEN 'a fee leg cannot be assigned to the buy or the sell of the group'
               WHEN fp.several THEN 'the fees of one side are in several assets'
           END AS reason
    FROM group_info AS i
    LEFT JOIN group_sides AS g ON g.gk = i.gk
    LEFT JOIN fee_problems AS fp ON fp.gk = i.gk
    WHERE i.time_utc IS NOT NULL  -- groups of fee legs only (futures funding fees) are not trades
)
SELECT v.gk, v.exchange, v.account, s.side, TRUE AS ok, CAST(NULL AS VARCHAR) AS reason, v.time_utc, v.sec,
       s.base || '/' || v.quote AS pair, s.base AS base_asset, v.quote AS quote_asset,
       s.base_qty AS quantity, s.quote_qty AS quote_quantity, f.fee, f.fee_asset, v.ref_id,
       s.rk,
       v.rows_text
FROM verdict AS v
JOIN sides AS s ON s.gk = v.gk
LEFT JOIN fee_sides AS f ON f.gk = v.gk AND f.side = s.side
WHERE v.reason IS NULL
UNION ALL
SELECT v.gk, v.exchange, v.account, NULL, FALSE, v.reason, v.time_utc, v.sec, NULL, NULL, NULL, NULL, NULL,
       NULL, NULL, v.ref_id, v.first_rk, v.rows_text
FROM verdict AS v
WHERE v.reason IS NOT NULL
