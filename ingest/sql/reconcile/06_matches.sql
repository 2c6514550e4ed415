-- 06_matches: which evidence records the same executions as evidence of another kind?
-- Grain: one row per member of a match (an execution candidate taking part in it).
-- Precedence: fills over orders over ledgers. A match keeps the higher kind as the executions and
-- holds the lower kind as corroboration (compared in 11_conflicts.sql, never merged):
--   ko  an order and the fills that carry its order id (matched_by order_id);
--   kl  a ledger group's side and the fills whose trade id is the group's ref_id (matched_by ref_id);
--   go  in one (account, pair, side, second): the orders matched by no fill id, against the fills that
--       name no order of the account's order evidence (matched_by second);
--   gl  in one (account, pair, side, second): the ledger group sides matched by no trade id, against the
--       fills no ledger group matched by id, or, when the second has no such fill, the orders that
--       stand as executions there (matched_by second).
-- Columns: match_id, matched_by, member_rk, member_from (fill | order | ledger), kept (the member stays an
--   execution), exchange, account, pair, side, sec. Params: none.
CREATE TEMP TABLE rc_match AS
WITH fx AS (SELECT * FROM rc_fill WHERE rk = exec_rk),
ox AS (SELECT * FROM rc_order WHERE rk = exec_rk),
lx AS (SELECT * FROM rc_ledger_group WHERE ok AND rk = exec_rk),
ko AS (
    SELECT o.rk AS order_rk, f.rk AS fill_rk
    FROM ox AS o
    JOIN fx AS f ON f.exchange = o.exchange AND f.account = o.account AND f.order_id = o.order_id
),
kl AS (
    SELECT l.rk AS ledger_rk, f.rk AS fill_rk
    FROM lx AS l
    JOIN fx AS f ON f.exchange = l.exchange AND f.account = l.account AND f.trade_id = l.ref_id AND f.side = l.side
),
free_fills AS (   -- fills that name no order of the account's order evidence
    SELECT f.* FROM fx AS f
    ANTI JOIN ox AS o ON o.exchange = f.exchange AND o.account = f.account AND o.order_id = f.order_id
),
loose_orders AS (
    SELECT o.* FROM ox AS o ANTI JOIN ko ON ko.order_rk = o.rk
),
go AS (
    SELECT DISTINCT o.exchange, o.account, o.pair, o.side, o.sec
    FROM loose_orders AS o
    SEMI JOIN free_fills AS f ON f.exchange = o.exchange AND f.account = o.account AND f.pair = o.pair
                              AND f.side = o.side AND f.sec = o.sec
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
gl_fill AS (
    SELECT DISTINCT l.exchange, l.account, l.pair, l.side, l.sec
    FROM loose_ledger AS l
    SEMI JOIN ledger_fills AS f ON f.exchange = l.exchange AND f.account = l.account AND f.pair = l.pair
                                AND f.side = l.side AND f.sec = l.sec
),
gl_order AS (
    SELECT DISTINCT l.exchange, l.account, l.pair, l.side, l.sec
    FROM loose_ledger AS l
    SEMI JOIN order_execs AS o ON o.exchange = l.exchange AND o.account = l.account AND o.pair = l.pair
                               AND o.side = l.side AND o.sec = l.sec
    ANTI JOIN gl_fill AS g ON g.exchange = l.exchange AND g.account = l.account AND g.pair = l.pair
                           AND g.side = l.side AND g.sec = l.sec
),
g_keys AS (
    SELECT 'go' AS k, * FROM go UNION ALL SELECT 'glf', * FROM gl_fill UNION ALL SELECT 'glo', * FROM gl_order
),
g_ids AS (
    SELECT k.*, k.k || '|' || k.exchange || '|' || k.account || '|' || k.pair || '|' || k.side || '|'
                || CAST(k.sec AS VARCHAR) AS match_id
    FROM g_keys AS k
)
SELECT 'ko|' || CAST(o.rk AS VARCHAR) AS match_id, 'order_id' AS matched_by, o.rk AS member_rk,
       'order' AS member_from, FALSE AS kept, o.exchange, o.account, o.pair, o.side, o.sec
FROM ox AS o SEMI JOIN ko ON ko.order_rk = o.rk
UNION ALL
SELECT 'ko|' || CAST(ko.order_rk AS VARCHAR), 'order_id', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair,
       f.side, f.sec
FROM ko JOIN fx AS f ON f.rk = ko.fill_rk
UNION ALL
SELECT 'kl|' || CAST(l.rk AS VARCHAR), 'ref_id', l.rk, 'ledger', FALSE, l.exchange, l.account, l.pair, l.side, l.sec
FROM lx AS l SEMI JOIN kl ON kl.ledger_rk = l.rk
UNION ALL
SELECT 'kl|' || CAST(kl.ledger_rk AS VARCHAR), 'ref_id', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair,
       f.side, f.sec
FROM kl JOIN fx AS f ON f.rk = kl.fill_rk
UNION ALL
SELECT g.match_id, 'second', o.rk, 'order', FALSE, o.exchange, o.account, o.pair, o.side, o.sec
FROM g_ids AS g JOIN loose_orders AS o ON o.exchange = g.exchange AND o.account = g.account AND o.pair = g.pair
                                       AND o.side = g.side AND o.sec = g.sec
WHERE g.k = 'go'
UNION ALL
SELECT g.match_id, 'second', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM g_ids AS g JOIN free_fills AS f ON f.exchange = g.exchange AND f.account = g.account AND f.pair = g.pair
                                     AND f.side = g.side AND f.sec = g.sec
WHERE g.k = 'go'
UNION ALL
SELECT g.match_id, 'second', l.rk, 'ledger', FALSE, l.exchange, l.account, l.pair, l.side, l.sec
FROM g_ids AS g JOIN loose_ledger AS l ON l.exchange = g.exchange AND l.account = g.account AND l.pair = g.pair
                                       AND l.side = g.side AND l.sec = g.sec
WHERE g.k IN ('glf', 'glo')
UNION ALL
SELECT g.match_id, 'second', f.rk, 'fill', TRUE, f.exchange, f.account, f.pair, f.side, f.sec
FROM g_ids AS g JOIN ledger_fills AS f ON f.exchange = g.exchange AND f.account = g.account AND f.pair = g.pair
                                       AND f.side = g.side AND f.sec = g.sec
WHERE g.k = 'glf'
UNION ALL
SELECT g.match_id, 'second', o.rk, 'order', TRUE, o.exchange, o.account, o.pair, o.side, o.sec
FROM g_ids AS g JOIN order_execs AS o ON o.exchange = g.exchange AND o.account = g.account AND o.pair = g.pair
                                      AND o.side = g.side AND o.sec = g.sec
WHERE g.k = 'glo'
