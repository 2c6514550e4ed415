-- 02_fills: every fill (trades row) of the accounts being reconciled, with the execution it belongs to.
-- Grain: one row per trades row of an account in rc_scope.
-- A fill repeated under one trade id (a raw API response and ccxt's `info` copy, two files) is one
-- fill: its representative is the first by (evidence_sha256, source_row). Representatives of several
-- files that agree on (second, pair, side, quantity, quote quantity) and on their position k among
-- identical fills of their own file are the same fill seen twice (overlapping exports); identical
-- fills within one file stay distinct.
-- Columns: the trades columns, sec, rk, exec_rk (the execution's primary rk), matched_by
--   (self | trade_id | natural_key). Params: none.
CREATE TEMP TABLE rc_fill AS
WITH f AS (
    SELECT t.*,
           date_trunc('second', t.time_utc) AS sec,
           1152921504606846976 + fl.file_no * 68719476736 + t.source_row AS rk
    FROM trades AS t
    SEMI JOIN rc_scope AS s ON s.exchange = t.exchange AND s.account = t.account
    JOIN rc_file AS fl ON fl.sha = t.evidence_sha256
),
id_reps AS (
    SELECT exchange, account, trade_id, min(rk) AS id_rk
    FROM f
    WHERE trade_id IS NOT NULL
    GROUP BY exchange, account, trade_id
    HAVING count(*) > 1
),
with_id AS (
    SELECT f.*, coalesce(i.id_rk, f.rk) AS id_rk
    FROM f
    LEFT JOIN id_reps AS i ON i.exchange = f.exchange AND i.account = f.account AND i.trade_id = f.trade_id
),
reps AS (
    SELECT * FROM with_id WHERE id_rk = rk
),
repeated AS (   -- natural keys held by more than one representative: only their rows are numbered
    SELECT exchange, account, sec, pair, side, quantity, quote_quantity
    FROM reps
    GROUP BY exchange, account, sec, pair, side, quantity, quote_quantity
    HAVING count(*) > 1
),
numbered AS (
    SELECT w.rk,
           min(w.rk) OVER (PARTITION BY w.exchange, w.account, w.sec, w.pair, w.side, w.quantity,
                                        w.quote_quantity, w.k) AS exec_rk
    FROM (
        SELECT x.rk, x.exchange, x.account, x.sec, x.pair, x.side, x.quantity, x.quote_quantity,
               row_number() OVER (PARTITION BY x.exchange, x.account, x.evidence_sha256, x.sec, x.pair, x.side,
                                               x.quantity, x.quote_quantity ORDER BY x.source_row) AS k
        FROM reps AS x
        SEMI JOIN repeated AS r ON r.exchange = x.exchange AND r.account = x.account AND r.sec = x.sec
                                AND r.pair = x.pair AND r.side = x.side AND r.quantity = x.quantity
                                AND r.quote_quantity = x.quote_quantity
    ) AS w
)
SELECT w.* EXCLUDE (id_rk),
       coalesce(n.exec_rk, w.id_rk) AS exec_rk,
       CASE WHEN w.rk = coalesce(n.exec_rk, w.id_rk) THEN 'self'
            WHEN w.id_rk <> w.rk THEN 'trade_id'
            ELSE 'natural_key' END AS matched_by
FROM with_id AS w
LEFT JOIN numbered AS n ON n.rk = w.id_rk
