-- 00_same_execution: the macro by which fills (02_fills) and filled orders (03_orders) find the execution
-- each belongs to, so both kinds of evidence are deduplicated by one rule.
-- Grain: a table macro, one output row per input row. Params: none.
-- kt_same_execution(tbl, id_label) -> the rows of tbl (columns exchange, account, ref_id (the trade or
--   order id), sec, pair, side, quantity, quote_quantity, evidence_sha256, source_row, rk and any others),
--   less ref_id, plus exec_rk (the rk of the execution's primary row) and matched_by (self | id_label |
--   natural_key). Rows repeated under one ref_id (two files, or a raw response and its copy) are one: the
--   representative is the lowest rk. Representatives of several files that agree on (second, pair, side,
--   quantity, quote quantity) and on their position k among identical rows of their own file are the same
--   execution seen twice (overlapping exports); identical rows within one file stay distinct.
CREATE OR REPLACE TEMP MACRO kt_same_execution(tbl, id_label) AS TABLE
WITH f AS (
    SELECT * FROM query_table(tbl)
),
id_reps AS (
    SELECT exchange, account, ref_id, min(rk) AS id_rk
    FROM f
    WHERE ref_id IS NOT NULL
    GROUP BY exchange, account, ref_id
    HAVING count(*) > 1
),
with_id AS (
    SELECT f.*, coalesce(i.id_rk, f.rk) AS id_rk
    FROM f
    LEFT JOIN id_reps AS i ON i.exchange = f.exchange AND i.account = f.account AND i.ref_id = f.ref_id
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
SELECT w.* EXCLUDE (id_rk, ref_id),
       coalesce(n.exec_rk, w.id_rk) AS exec_rk,
       CASE WHEN w.rk = coalesce(n.exec_rk, w.id_rk) THEN 'self'
            WHEN w.id_rk <> w.rk THEN id_label
            ELSE 'natural_key' END AS matched_by
FROM with_id AS w
LEFT JOIN numbered AS n ON n.rk = w.id_rk;
