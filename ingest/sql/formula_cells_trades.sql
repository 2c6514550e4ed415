-- formula_cells_trades: staged trades rows whose text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number), e.g. =cmd|' /C calc'!A0. keytrace stores such text inert and flags it;
-- `keytrace export` neutralises it. Numbers cannot carry one: a formula there fails validation.
-- Grain: one row per flagged data row (first 100, file order). Columns: source_row, column_name, value.
-- Params: none.
WITH flagged AS (
    SELECT
        s.source_row,
        CASE
            WHEN kt_formula(s.account) THEN 'account'
            WHEN kt_formula(s.base_asset) THEN 'base_asset'
            WHEN kt_formula(s.quote_asset) THEN 'quote_asset'
            WHEN kt_formula(s.side) THEN 'side'
            WHEN kt_formula(s.fee_asset) THEN 'fee_asset'
            WHEN kt_formula(s.order_id) THEN 'order_id'
            WHEN kt_formula(s.trade_id) THEN 'trade_id'
            WHEN kt_formula(s.counter_order_id) THEN 'counter_order_id'
            WHEN kt_formula(s.channel) THEN 'channel'
            WHEN kt_formula(s.liquidity) THEN 'liquidity'
        END AS column_name,
        CASE
            WHEN kt_formula(s.account) THEN s.account
            WHEN kt_formula(s.base_asset) THEN s.base_asset
            WHEN kt_formula(s.quote_asset) THEN s.quote_asset
            WHEN kt_formula(s.side) THEN s.side
            WHEN kt_formula(s.fee_asset) THEN s.fee_asset
            WHEN kt_formula(s.order_id) THEN s.order_id
            WHEN kt_formula(s.trade_id) THEN s.trade_id
            WHEN kt_formula(s.counter_order_id) THEN s.counter_order_id
            WHEN kt_formula(s.channel) THEN s.channel
            WHEN kt_formula(s.liquidity) THEN s.liquidity
        END AS value
    FROM staged AS s
)
SELECT
    f.source_row,
    f.column_name,
    f.value
FROM flagged AS f
WHERE f.column_name IS NOT NULL
ORDER BY f.source_row
LIMIT 100
