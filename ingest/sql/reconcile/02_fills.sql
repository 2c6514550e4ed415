-- 02_fills: every fill (trades row) of the accounts being reconciled, with the execution it belongs to.
-- Grain: one row per trades row of an account in rc_scope.
-- A fill repeated under one trade id (a raw API response and ccxt's `info` copy, two files) is one
-- fill: its representative is the first by (evidence_sha256, source_row). Representatives of several
-- files that agree on (second, pair, side, quantity, quote quantity) and on their position k among
-- identical fills of their own file are the same fill seen twice (overlapping exports); identical
-- fills within one file stay distinct. The rule is the macro of 00_same_execution, shared with orders.
-- Columns: the trades columns, sec, rk, exec_rk (the execution's primary rk), matched_by
--   (self | trade_id | natural_key). Params: none.
CREATE TEMP TABLE rc_fill AS
WITH f AS (
    SELECT t.*, t.trade_id AS ref_id,
           date_trunc('second', t.time_utc) AS sec,
           1152921504606846976 + fl.file_no * 68719476736 + t.source_row AS rk
    FROM trades AS t
    SEMI JOIN rc_scope AS s ON s.exchange = t.exchange AND s.account = t.account
    JOIN rc_file AS fl ON fl.sha = t.evidence_sha256
)
SELECT * FROM kt_same_execution(f, 'trade_id')
