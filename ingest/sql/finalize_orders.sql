-- finalize_orders: the good staged orders, each numbered among identical rows of the file.
-- Grain: one row per good data row (one order, or one order snapshot). Columns: the staged columns
-- (without _bad_*) + occurrence (1..n among identical rows of one account, in file order). Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason),
    row_number() OVER (
        PARTITION BY s.account, s.order_id, s.created_utc, s.updated_utc, s.base_asset, s.quote_asset, s.side,
                     s.order_type, s.order_price, s.order_quantity, s.filled_quantity, s.filled_quote,
                     s.avg_price, s.status
        ORDER BY s.source_row
    ) AS occurrence
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
