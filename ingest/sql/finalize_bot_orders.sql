-- finalize_bot_orders: the good staged bot orders, numbered among identical ones of the file.
-- Grain: one row per good data row. Columns: the staged columns (without _bad_*) + occurrence. Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason, stage_row),
    row_number() OVER (
        PARTITION BY s.platform_account_id, s.deal_id, s.order_id, s.time_utc, s.base_asset, s.quote_asset,
                     s.side, s.quantity, s.price
        ORDER BY s.source_row
    ) AS occurrence
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
