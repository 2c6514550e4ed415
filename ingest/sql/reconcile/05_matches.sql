-- 05_matches: which evidence records the same executions as other evidence of another kind?
-- Grain: one row per member of a match (an execution candidate taking part in it).
-- Precedence: fills over orders over ledgers. A match keeps the higher kind as the executions and
-- holds the lower kind as corroboration (compared in 09_conflicts.sql, never merged):
--   ko  an order and the fills that carry its order id (matched_by order_id);
--   kl  a ledger group's side and the fills whose trade id is the group's ref_id (matched_by ref_id);
--   go  in one (account, pair, side, second): the orders matched by no fill id, against the fills that
--       name no known order (matched_by second);
--   gl  in one (account, pair, side, second): the ledger groups matched by no trade id, against the
--       fills no ledger group matched by id, or, when the second has no fill, the orders that stand as
--       executions (matched_by second).
-- Columns: match_id, matched_by, member_rk, member_from (fill | order | ledger), kept (the member stays an
--   execution), exchange, account, pair, side, sec. Params: none.
CREATE TEMP TABLE rc_match AS
WITH fx AS (SELECT * FROM rc_fill WHERE rk = exec_rk),
ox AS (SELECT * FROM rc_order WHERE rk = exec_rk),
lx AS (SELECT * FROM rc_ledger_group WHERE ok),
ko AS (
    SELECT 'ko|' || o.rk AS match_id, o.rk AS order_rk, f.rk AS fill_rk
    FROM ox AS o
    JOIN fx AS f ON f.exchange = o.exchange AND f.account = o.account AND f.order_id = o.order_id
),
kl AS (
    SELECT 'kl|' || l.rk AS match_id, l.rk AS ledger_rk, f.rk AS fill_rk
    FROM lx AS l
    JOIN fx AS f ON f.exchange = l.exchange AND f.account = l.account AND f.trade_id = l.ref_id AND f.side = l.side
),
free_fills AS (   -- fills that name no order of the account's order evidence
    SELECT f.* FROM fx AS f
    WHERE f.order_id IS NULL
       OR NOT EXISTS (SELECT 1 FROM ox AS o WHERE o.exchange = f.exchange AND o.account = f.account
                                             AND o.order_id = f.order_id)
),
loose_orders AS (
    SELECT o.* FROM ox AS o ANTI JOIN ko ON ko.order_rk = o.rk
),
go_keys AS (
    SELECT DISTINCT o.exchange, o.account, o.pair, o.side, o.sec
    FROM loose_orders AS o
    SEMI JOIN free_fills AS f ON f.exchange = o.exchange AND f.account = o.account AND f.pair = o.pair
                              AND f.side = o.side AND f.sec = o.sec
),
go AS (
    SELECT 'go|' || k.exchange || '|' || k.account || '|' || k.pair || '|' || k.side || '|' || CAST(k.sec AS VARCHAR)
               AS match_id, k.*
    FROM go_keys AS k
),
order_execs AS (  -- orders that stand as executions (matched by no fill)
    SELECT o.* FROM loose_orders AS o
    ANTI JOIN go ON go.exchange = o.exchange AND go.account = o.account AND go.pair = o.pair
                AND go.side = o.side AND go.sec = o.sec
),
loose_ledger AS (
    SELECT l.* FROM lx AS l ANTI JOIN kl ON kl.ledger_rk = l.rk
),
ledger_fills AS (  -- fills that no ledger group matched by trade id
    SELECT f.* FROM fx AS f ANTI JOIN kl ON kl.fill_rk = f.rk
),
gl_keys AS (
    SELECT DISTINCT l.exchange, l.account, l.pair, l.side, l.sec,
           EXISTS (SELECT 1 FROM ledger_fills AS f WHERE f.exchange = l.exchange AND f.account = l.account
                   AND f.pair = l.pair AND f.side = l.side AND f.sec = l.sec) AS has_fills
    FROM loose_ledger AS l
),
gl AS (
    SELECT 'gl|' || k.exchange || '|' || k.account || '|' || k.pair || '|' || k.side || '|' || CAST(k.sec AS VARCHAR)
               AS match_id, k.*
    FROM gl_keys AS k
    WHERE k.has_fills
       OR EXISTS (SELECT 1 FROM order_execs AS o WHERE o.exchange = k.exchange AND o.account = k.account
                  AND o.pair = k.pair AND o.side = k.side AND o.sec = k.sec)
)
SELECT ko.match_id, 'order_id' AS matched_by, ko.order_rk AS member_rk, 'order' AS member_from, FALSE AS kept,
       o.exchange, o.account, o.pair, o.side, o.sec
FROM (SELECT DISTINCT match_id, order_rk FROM ko) AS ko JOIN ox AS o ON o.rk = ko.order_rk
UNION ALL
SELECT ko.match_id, 'order_id', ko.fill_rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM ko JOIN fx AS f ON f.rk = ko.fill_rk
UNION ALL
SELECT kl.match_id, 'ref_id', kl.ledger_rk, 'ledger', FALSE, l.exchange, l.account, l.pair, l.side, l.sec
FROM (SELECT DISTINCT match_id, ledger_rk FROM kl) AS kl JOIN lx AS l ON l.rk = kl.ledger_rk
UNION ALL
SELECT kl.match_id, 'ref_id', kl.fill_rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM kl JOIN fx AS f ON f.rk = kl.fill_rk
UNION ALL
SELECT go.match_id, 'second', o.rk, 'order', FALSE, o.exchange, o.account, o.pair, o.side, o.sec
FROM go JOIN loose_orders AS o ON o.exchange = go.exchange AND o.account = go.account AND o.pair = go.pair
                              AND o.side = go.side AND o.sec = go.sec
UNION ALL
SELECT go.match_id, 'second', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM go JOIN free_fills AS f ON f.exchange = go.exchange AND f.account = go.account AND f.pair = go.pair
                            AND f.side = go.side AND f.sec = go.sec
UNION ALL
SELECT gl.match_id, 'second', l.rk, 'ledger', FALSE, l.exchange, l.account, l.pair, l.side, l.sec
FROM gl JOIN loose_ledger AS l ON l.exchange = gl.exchange AND l.account = gl.account AND l.pair = gl.pair
                              AND l.side = gl.side AND l.sec = gl.sec
UNION ALL
SELECT gl.match_id, 'second', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM gl JOIN ledger_fills AS f ON f.exchange = gl.exchange AND f.account = gl.account AND f.pair = gl.pair
                              AND f.side = gl.side AND f.sec = gl.sec
WHERE gl.has_fills
UNION ALL
SELECT gl.match_id, 'second', o.rk, 'order', TRUE, o.exchange, o.account, o.pair, o.side, o.sec
FROM gl JOIN order_execs AS o ON o.exchange = gl.exchange AND o.account = gl.account AND o.pair = gl.pair
                             AND o.side = gl.side AND o.sec = gl.sec
WHERE NOT gl.has_fills
