-- finalize_trades: the good staged trades, each numbered among identical fills of the file.
-- Grain: one row per good data row. Columns: the staged columns (without _bad_*) + occurrence
-- (1..n among rows with the same account and natural key, in file order).
-- Identical fills are rare: a hash aggregate finds the keys that repeat, and only their rows are
-- numbered by a window (a window over every row would sort the whole file). A 64-bit hash collision
-- between two different fills (odds ~1e-19 per pair) would only renumber them, never merge them.
-- Params: none.
WITH keyed AS (
    SELECT
        s.* EXCLUDE (_bad_column, _bad_reason),
        hash(s.account, s.time_utc, s.base_asset, s.quote_asset, s.side, s.price, s.quantity, s.quote_quantity,
             s.fee, s.fee_asset, s.order_id, s.trade_id) AS _key
    FROM staged AS s
    WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
),
repeated AS (
    SELECT k._key
    FROM keyed AS k
    GROUP BY k._key
    HAVING count(*) > 1
),
numbered AS (
    SELECT
        k.source_row,
        row_number() OVER (PARTITION BY k._key ORDER BY k.source_row) AS occurrence
    FROM keyed AS k
    WHERE k._key IN (SELECT r._key FROM repeated AS r)
)
SELECT
    k.* EXCLUDE (_key),
    coalesce(n.occurrence, 1) AS occurrence
FROM keyed AS k
LEFT JOIN numbered AS n ON n.source_row = k.source_row
