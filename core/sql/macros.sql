-- macros: the text forms every reader and writer of the database shares, created as temporary macros on
-- each connection keytrace opens (core/db.py) and on the private staging database (ingest/load.py), so an
-- export, a format's message and a derived execution write a number or a time the same way.
-- Grain: scalar macros. Params: none (each macro takes its inputs as arguments).
-- Exact division (DuckDB divides DECIMALs as DOUBLE, so a derived price is computed on integers):
-- kt_units(x)          -> x (a DECIMAL(38,18)) as an integer count of 1e-18 units (HUGEINT), exactly
-- kt_from_units(i, f)  -> the DECIMAL(38,18) i + f x 1e-18 (NULL when i has more than 20 digits)
-- kt_frac18(r, b)      -> the first 18 decimal digits of r / b for integers 0 <= r < b < 1e35: long division
--                         in two 9-digit steps while b < 1e29, else in six 3-digit steps (r x 1e9, or
--                         r x 1000, stays below HUGEINT's 1.7e38); NULL for a larger b
-- kt_quotient18(a, b)  -> a / b for integer units a >= 0, b > 0 (kt_units), truncated toward zero to 18
--                         decimal places, as DECIMAL(38,18); NULL when it has more than 20 integer digits
-- kt_ratio(q, b)       -> q / b for decimals the same way; NULL when q < 0, b <= 0, b holds 1e17 or more whole
--                         units, or the quotient has more than 20 integer digits. It repeats its arguments, so
--                         a hot path computes kt_units once as columns and calls kt_quotient18 on them.
-- kt_plain(x)   -> a number as exact text without trailing zeros, whatever its scale ('420.5', '0', '100';
--                  NULL for NULL)
-- kt_iso_utc(t) -> a UTC time as ISO 8601 with Z, its fraction only when it has one
--                  ('2022-12-01T03:04:05Z', '2022-12-01T03:04:05.250000Z'); the connection's TimeZone is UTC
CREATE OR REPLACE TEMP MACRO kt_plain(x) AS
    CASE WHEN contains(CAST(x AS VARCHAR), '.') THEN rtrim(rtrim(CAST(x AS VARCHAR), '0'), '.')
         ELSE CAST(x AS VARCHAR)
    END;
CREATE OR REPLACE TEMP MACRO kt_iso_utc(t) AS
    CASE WHEN microsecond(t) % 1000000 = 0 THEN strftime(t, '%Y-%m-%dT%H:%M:%SZ')
         ELSE strftime(t, '%Y-%m-%dT%H:%M:%S.%fZ')
    END;
CREATE OR REPLACE TEMP MACRO kt_units(x) AS
    CAST(replace(CAST(CAST(x AS DECIMAL(38, 18)) AS VARCHAR), '.', '') AS HUGEINT);
CREATE OR REPLACE TEMP MACRO kt_from_units(i, f) AS
    TRY_CAST(i AS DECIMAL(38, 18)) + CAST(f AS DECIMAL(18, 0)) * CAST('0.000000000000000001' AS DECIMAL(19, 18));
CREATE OR REPLACE TEMP MACRO kt_step3(r, b) AS (r * 1000) % b;
CREATE OR REPLACE TEMP MACRO kt_digits3(r, b) AS (r * 1000) // b;
CREATE OR REPLACE TEMP MACRO kt_frac18(r, b) AS
    CASE
        WHEN b < CAST('100000000000000000000000000000' AS HUGEINT)
            THEN ((r * 1000000000) // b) * 1000000000 + (((r * 1000000000) % b) * 1000000000) // b
        WHEN b < CAST('100000000000000000000000000000000000' AS HUGEINT)
            THEN kt_digits3(r, b) * CAST('1000000000000000' AS HUGEINT)
                 + kt_digits3(kt_step3(r, b), b) * 1000000000000
                 + kt_digits3(kt_step3(kt_step3(r, b), b), b) * 1000000000
                 + kt_digits3(kt_step3(kt_step3(kt_step3(r, b), b), b), b) * 1000000
                 + kt_digits3(kt_step3(kt_step3(kt_step3(kt_step3(r, b), b), b), b), b) * 1000
                 + kt_digits3(kt_step3(kt_step3(kt_step3(kt_step3(kt_step3(r, b), b), b), b), b), b)
    END;
CREATE OR REPLACE TEMP MACRO kt_quotient18(a, b) AS kt_from_units(a // b, kt_frac18(a % b, b));
CREATE OR REPLACE TEMP MACRO kt_ratio(q, b) AS
    CASE
        WHEN q IS NULL OR b IS NULL OR b <= 0 OR q < 0 THEN NULL
        WHEN b >= 100000000000000000 THEN NULL
        ELSE kt_quotient18(kt_units(q), kt_units(b))
    END;
