-- 00_macros: exact arithmetic for executions derived from legs (created as temporary macros on the
-- connection that reconciles). Grain: scalar macros. Params: none.
-- kt_units(x)     -> x (DECIMAL(38,18)) as an integer count of 1e-18 units (HUGEINT), exactly
-- kt_ratio(q, b)  -> q / b exactly, truncated toward zero to 18 decimal places, as DECIMAL(38,18);
--                    NULL when b is 0 or NULL, when b holds 1e11 or more whole units (the long division
--                    below would overflow HUGEINT) or when the result has more than 20 integer digits.
-- DuckDB divides DECIMALs as DOUBLE, so this long division in two 9-digit steps never leaves integers.
CREATE OR REPLACE TEMP MACRO kt_units(x) AS
    CAST(replace(CAST(CAST(x AS DECIMAL(38, 18)) AS VARCHAR), '.', '') AS HUGEINT);
CREATE OR REPLACE TEMP MACRO kt_frac18(r, b) AS
    ((r * 1000000000) // b) * 1000000000 + (((r * 1000000000) % b) * 1000000000) // b;
CREATE OR REPLACE TEMP MACRO kt_ratio(q, b) AS
    CASE
        WHEN q IS NULL OR b IS NULL OR b <= 0 OR q < 0 THEN NULL
        WHEN kt_units(b) >= CAST('100000000000000000000000000000' AS HUGEINT) THEN NULL
        ELSE TRY_CAST(CAST(kt_units(q) // kt_units(b) AS VARCHAR) || '.'
                      || lpad(CAST(kt_frac18(kt_units(q) % kt_units(b), kt_units(b)) AS VARCHAR), 18, '0')
                      AS DECIMAL(38, 18))
    END;
-- kt_plain(x)     -> the decimal as text without trailing zeros ('420.5', '0', '-3.605E-05' -> '-0.00003605')
CREATE OR REPLACE TEMP MACRO kt_plain(x) AS
    CASE WHEN x IS NULL THEN NULL
         WHEN CAST(x AS DECIMAL(38, 18)) = 0 THEN '0'
         ELSE rtrim(rtrim(CAST(CAST(x AS DECIMAL(38, 18)) AS VARCHAR), '0'), '.')
    END;
