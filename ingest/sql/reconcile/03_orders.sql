-- 03_orders: every filled order (orders row with a filled quantity and total above 0) of the accounts
-- being reconciled, as the execution it would be, with the order execution it belongs to.
-- Grain: one row per such orders row of an account in rc_scope.
-- An order's execution is at its fill time (updated_utc, else created_utc), of its filled quantity and
-- filled quote quantity, at its average price (else quote / quantity truncated to 18 places,
-- kt_quotient18). An order repeated under one order id (two files) is one order; representatives of
-- several files that agree on (second, pair, side, filled quantity, filled quote) and position k are
-- the same order seen twice (the rule of 00_same_execution, shared with fills).
-- Columns: exchange, account, time_utc, sec, pair, base_asset, quote_asset, side, price, quantity,
--   quote_quantity, fee, fee_asset, order_id, channel, evidence_sha256, source_row, ingest_run_id,
--   format, rk, exec_rk, matched_by (self | order_id | natural_key). Params: none.
CREATE TEMP TABLE rc_order AS
WITH u AS (      -- the orders in scope; an order without an average price gets its units for the division
    SELECT o.*, fl.file_no,
           CASE WHEN o.avg_price IS NULL THEN kt_units(o.filled_quote) END AS quote_units,
           CASE WHEN o.avg_price IS NULL THEN kt_units(o.filled_quantity) END AS quantity_units
    FROM orders AS o
    SEMI JOIN rc_scope AS s ON s.exchange = o.exchange AND s.account = o.account
    JOIN rc_file AS fl ON fl.sha = o.evidence_sha256
    WHERE o.filled_quantity > 0 AND o.filled_quote > 0
),
o AS (
    SELECT u.exchange, u.account,
           coalesce(u.updated_utc, u.created_utc) AS time_utc,
           date_trunc('second', coalesce(u.updated_utc, u.created_utc)) AS sec,
           u.pair, split_part(u.pair, '/', 1) AS base_asset, split_part(u.pair, '/', 2) AS quote_asset,
           u.side,
           -- kt_ratio's division on units computed once (its bound: below 1e17 whole units, else no price)
           coalesce(u.avg_price, CASE WHEN u.filled_quantity < 100000000000000000
                                      THEN kt_quotient18(u.quote_units, u.quantity_units) END) AS price,
           u.filled_quantity AS quantity, u.filled_quote AS quote_quantity,
           u.fee, u.fee_asset, u.order_id, u.order_id AS ref_id, u.channel,
           u.evidence_sha256, u.source_row, u.ingest_run_id, u.format,
           2305843009213693952 + u.file_no * 68719476736 + u.source_row AS rk
    FROM u
)
SELECT * FROM kt_same_execution(o, 'order_id')
