-- validate_ledger_movements: the staged ledger rows that must not be merged, with the reason.
-- Grain: one row per bad data row. Columns: source_row, column_name, reason.
-- A format names the file's own column (_bad_column); the checks below catch what a format missed.
-- Params: none.
SELECT
    s.source_row,
    coalesce(s._bad_column,
        CASE
            WHEN s.time_utc IS NULL THEN 'time_utc'
            WHEN s.asset IS NULL THEN 'asset'
            WHEN s.amount IS NULL THEN 'amount'
            WHEN s.operation IS NULL THEN 'operation'
            WHEN s.kind IS NULL OR s.kind NOT IN ('deposit', 'withdrawal', 'trade', 'fee', 'transfer', 'reward', 'other')
                THEN 'kind'
        END) AS column_name,
    coalesce(s._bad_reason,
        CASE
            WHEN s.time_utc IS NULL THEN 'the time is missing or not a date'
            WHEN s.asset IS NULL THEN 'the asset is missing'
            WHEN s.amount IS NULL THEN 'the amount is missing or not a number'
            WHEN s.operation IS NULL THEN 'the operation is missing'
            ELSE 'the kind of movement is unknown'
        END) AS reason
FROM staged AS s
WHERE s._bad_reason IS NOT NULL
   OR s.time_utc IS NULL
   OR s.asset IS NULL
   OR s.amount IS NULL
   OR s.operation IS NULL
   OR s.kind IS NULL
   OR s.kind NOT IN ('deposit', 'withdrawal', 'trade', 'fee', 'transfer', 'reward', 'other')
