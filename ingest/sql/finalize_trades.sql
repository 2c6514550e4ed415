-- finalize_trades: the good staged trades, each numbered among identical fills of the file.
-- Grain: one row per good data row. Columns: the staged columns (without _bad_*) + occurrence
-- (1..n among rows with the same account and natural key, in file order). The partition is the
-- 64-bit hash of the key: one narrow column sorts far faster than twelve wide ones, and a collision
-- between two different fills (odds ~1e-19 per pair) would only renumber them, never merge them.
-- Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason),
    row_number() OVER (
        PARTITION BY hash(s.account, s.time_utc, s.base_asset, s.quote_asset, s.side, s.price, s.quantity,
                          s.quote_quantity, s.fee, s.fee_asset, s.order_id, s.trade_id)
        ORDER BY s.source_row
    ) AS occurrence
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
