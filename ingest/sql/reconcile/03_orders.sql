-- 03_orders: every filled order (orders row with a filled quantity and total above 0) of the accounts
-- being reconciled, as the execution it would be, with the order execution it belongs to.
-- Grain: one row per such orders row of an account in rc_scope.
-- An order's execution is at its fill time (updated_utc, else created_utc), of its filled quantity and
-- filled quote quantity, at its average price (else quote / quantity, kt_ratio). An order repeated
-- under one order id (two files) is one order; representatives of several files that agree on
-- (second, pair, side, filled quantity, filled quote) and position k are the same order seen twice
-- (the rule of 00_same_execution, shared with fills).
-- Columns: exchange, account, time_utc, sec, pair, base_asset, quote_asset, side, price, quantity,
--   quote_quantity, fee, fee_asset, order_id, channel, evidence_sha256, source_row, ingest_run_id,
--   format, rk, exec_rk, matched_by (self | order_id | natural_key). Params: none.
CREATE TEMP TABLE rc_order AS
WITH o AS (
    SELECT o.exchange, o.account,
           coalesce(o.updated_utc, o.created_utc) AS time_utc,
           date_trunc('second', coalesce(o.updated_utc, o.created_utc)) AS sec,
           o.pair, split_part(o.pair, '/', 1) AS base_asset, split_part(o.pair, '/', 2) AS quote_asset,
           o.side,
           coalesce(o.avg_price, kt_ratio(o.filled_quote, o.filled_quantity)) AS price,
           o.filled_quantity AS quantity, o.filled_quote AS quote_quantity,
           o.fee, o.fee_asset, o.order_id, o.order_id AS ref_id, o.channel,
           o.evidence_sha256, o.source_row, o.ingest_run_id, o.format,
           2305843009213693952 + fl.file_no * 68719476736 + o.source_row AS rk
    FROM orders AS o
    SEMI JOIN rc_scope AS s ON s.exchange = o.exchange AND s.account = o.account
    JOIN rc_file AS fl ON fl.sha = o.evidence_sha256
    WHERE o.filled_quantity > 0 AND o.filled_quote > 0
)
SELECT * FROM kt_same_execution(o, 'order_id')
