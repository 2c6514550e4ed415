-- formula_cells_bot_orders: staged bot_orders rows whose text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number). keytrace stores such text inert and flags it. Numbers cannot carry one.
-- Grain: one row per flagged data row (first 100, file order). Columns: source_row, column_name, value.
-- Params: none.
WITH flagged AS (
    SELECT
        s.source_row,
        CASE
            WHEN kt_formula(s.exchange) THEN 'exchange'
            WHEN kt_formula(s.platform_account_id) THEN 'platform_account_id'
            WHEN kt_formula(s.deal_id) THEN 'deal_id'
            WHEN kt_formula(s.bot_id) THEN 'bot_id'
            WHEN kt_formula(s.order_id) THEN 'order_id'
            WHEN kt_formula(s.base_asset) THEN 'base_asset'
            WHEN kt_formula(s.quote_asset) THEN 'quote_asset'
            WHEN kt_formula(s.side) THEN 'side'
            WHEN kt_formula(s.price_text) THEN 'price_text'
        END AS column_name,
        CASE
            WHEN kt_formula(s.exchange) THEN s.exchange
            WHEN kt_formula(s.platform_account_id) THEN s.platform_account_id
            WHEN kt_formula(s.deal_id) THEN s.deal_id
            WHEN kt_formula(s.bot_id) THEN s.bot_id
            WHEN kt_formula(s.order_id) THEN s.order_id
            WHEN kt_formula(s.base_asset) THEN s.base_asset
            WHEN kt_formula(s.quote_asset) THEN s.quote_asset
            WHEN kt_formula(s.side) THEN s.side
            WHEN kt_formula(s.price_text) THEN s.price_text
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
