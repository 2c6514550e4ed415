-- formula_cells_ledger_movements: staged ledger_movements rows whose text a spreadsheet would run as a formula (=, +, @, tab,
-- CR, or - before a non-number), e.g. =cmd|' /C calc'!A0. keytrace stores such text inert and flags it;
-- `keytrace export` neutralises it. Numbers cannot carry one: a formula there fails validation.
-- Grain: one row per flagged data row (first 100, file order). Columns: source_row, column_name, value.
-- Params: none.
WITH flagged AS (
    SELECT
        s.source_row,
        CASE
            WHEN kt_formula(s.account) THEN 'account'
            WHEN kt_formula(s.wallet) THEN 'wallet'
            WHEN kt_formula(s.kind) THEN 'kind'
            WHEN kt_formula(s.operation) THEN 'operation'
            WHEN kt_formula(s.asset) THEN 'asset'
            WHEN kt_formula(s.status) THEN 'status'
            WHEN kt_formula(s.address) THEN 'address'
            WHEN kt_formula(s.tx_hash) THEN 'tx_hash'
            WHEN kt_formula(s.network) THEN 'network'
            WHEN kt_formula(s.remark) THEN 'remark'
            WHEN kt_formula(s.ref_id) THEN 'ref_id'
        END AS column_name,
        CASE
            WHEN kt_formula(s.account) THEN s.account
            WHEN kt_formula(s.wallet) THEN s.wallet
            WHEN kt_formula(s.kind) THEN s.kind
            WHEN kt_formula(s.operation) THEN s.operation
            WHEN kt_formula(s.asset) THEN s.asset
            WHEN kt_formula(s.status) THEN s.status
            WHEN kt_formula(s.address) THEN s.address
            WHEN kt_formula(s.tx_hash) THEN s.tx_hash
            WHEN kt_formula(s.network) THEN s.network
            WHEN kt_formula(s.remark) THEN s.remark
            WHEN kt_formula(s.ref_id) THEN s.ref_id
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
