-- finalize_ledger_movements: the good staged ledger rows, each numbered among identical rows of the file.
-- Grain: one row per good data row. Columns: the staged columns (without _bad_*) + occurrence
-- (1..n among rows with the same account and natural key, in file order). Params: none.
SELECT
    s.* EXCLUDE (_bad_column, _bad_reason),
    row_number() OVER (
        PARTITION BY s.account, s.time_utc, s.wallet, s.operation, s.asset, s.amount, s.fee, s.tx_hash,
                     s.ref_id, s.address
        ORDER BY s.source_row
    ) AS occurrence
FROM staged AS s
WHERE s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
