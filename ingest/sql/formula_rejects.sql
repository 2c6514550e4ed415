-- formula_rejects: refused rows (kept in ingest_rejects as raw text) holding a formula-like cell.
-- Grain: one row per flagged bad data row (first 100). Columns: source_row, raw_line. Params: none.
SELECT
    r.source_row,
    r.raw_line
FROM rejects AS r
WHERE regexp_matches(r.raw_line, '(^|,)([=+@\t\r]|-[^0-9.,])')
ORDER BY r.source_row
LIMIT 100
