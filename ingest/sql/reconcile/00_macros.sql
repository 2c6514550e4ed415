-- 00_macros: exact arithmetic for derived executions (created as temporary macros on the connection
-- that reconciles). Grain: scalar macros. Params: none.
-- kt_units(x)      -> x (a DECIMAL(38,18)) as an integer count of 1e-18 units (HUGEINT), exactly
-- kt_frac18(r, b)  -> the first 18 decimal digits of r / b for 0 <= r < b < 1e29 (integer long division in
--                     two 9-digit steps: r * 1e9 stays below HUGEINT's 1.7e38)
-- kt_from_units(i, f) -> the DECIMAL(38,18) i + f * 1e-18 (NULL when i has more than 20 digits)
-- kt_ratio(q, b)   -> q / b exactly, truncated toward zero to 18 decimal places; NULL when b <= 0, when b
--                     holds 1e11 or more whole units, or when the result has more than 20 integer digits.
--                     (DuckDB divides DECIMALs as DOUBLE, so the quotient is computed on integers.) It
--                     repeats its arguments, so hot paths compute the units once as columns instead
--                     (04_ledger_groups.sql); this form serves the rare order without an average price.
CREATE OR REPLACE TEMP MACRO kt_units(x) AS
    CAST(replace(CAST(CAST(x AS DECIMAL(38, 18)) AS VARCHAR), '.', '') AS HUGEINT);
CREATE OR REPLACE TEMP MACRO kt_frac18(r, b) AS
    ((r * 1000000000) // b) * 1000000000 + (((r * 1000000000) % b) * 1000000000) // b;
CREATE OR REPLACE TEMP MACRO kt_from_units(i, f) AS
    TRY_CAST(i AS DECIMAL(38, 18)) + CAST(f AS DECIMAL(18, 0)) * CAST('0.000000000000000001' AS DECIMAL(19, 18));
CREATE OR REPLACE TEMP MACRO kt_ratio(q, b) AS
    CASE
        WHEN q IS NULL OR b IS NULL OR b <= 0 OR q < 0 THEN NULL
        WHEN b >= 100000000000 THEN NULL
        ELSE kt_from_units(kt_units(q) // kt_units(b), kt_frac18(kt_units(q) % kt_units(b), kt_units(b)))
    END;
