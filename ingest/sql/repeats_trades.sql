-- repeats_trades: the staged fills that repeat an earlier identical row of the file, numbered.
-- Grain: one row per good staged row whose natural key occurs more than once in the file.
-- Columns: stage_row (the staged row: a data row that makes several rows, such as a trade's legs, makes
-- several), occurrence (1..n in file order among identical rows; a data row's own identical rows in
-- staging order). Params: none.
-- Identical rows are rare: a hash aggregate finds the keys that repeat and only their rows are numbered
-- (a window over every row would sort the whole file). A 64-bit hash collision between two different
-- rows (odds ~1e-19 per pair) would only renumber them, never merge them.
WITH keyed AS (
    SELECT
        s.source_row,
        s.stage_row,
        hash(s.account, s.time_utc, s.base_asset, s.quote_asset, s.side, s.price, s.quantity, s.quote_quantity,
             s.fee, s.fee_asset, s.order_id, s.trade_id) AS row_key
    FROM staged AS s
    WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
),
repeated AS (
    SELECT k.row_key
    FROM keyed AS k
    GROUP BY k.row_key
    HAVING count(*) > 1
)
SELECT
    k.stage_row,
    row_number() OVER (PARTITION BY k.row_key ORDER BY k.source_row, k.stage_row) AS occurrence
FROM keyed AS k
WHERE k.row_key IN (SELECT r.row_key FROM repeated AS r)
