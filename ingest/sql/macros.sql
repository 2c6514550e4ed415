-- macros: the parsing helpers every format's SQL uses (created in the private staging database, with the
-- shared text macros of core/sql/macros.sql: kt_plain, kt_iso_utc).
-- Grain: scalar macros. Params: none (each macro takes its inputs as arguments).
-- kt_dec('1,234.50')            -> 1234.50 as DECIMAL(38,18); NULL when the text is not a number
-- kt_time(text, formats, mins)  -> TIMESTAMPTZ in UTC from a local time written `mins` east of UTC
-- kt_num_text(text)             -> the trimmed text without thousands separators
-- kt_bad(text)                  -> true when text is present but is not a number
-- kt_quoted(text)               -> the text in single quotes for messages (at most 40 characters)
-- kt_strip_asset(text, asset)  -> the number of "12.5BTC" when asset is BTC (else the plain number)
-- kt_strip_known(text, asset)   -> the number of "12.5BTC" when it ends with asset (else NULL); text is
--                                  upper case without separators (kt_num_text)
-- kt_listed_quote(pair, q5, q4, q3) -> the longest listed quote asset that ends pair and leaves a base
--                                  (q5, q4, q3: the listed quotes of 5, 4 and 3 letters)
-- kt_blank(text)                -> NULL for blank text, else the trimmed text
-- kt_formula(text)              -> true when a spreadsheet would run the text as a formula (=cmd|...)
-- kt_shown_decimals(text)       -> how many decimals a plain number's text shows ('0.2291700000' -> 10,
--                                  '412' -> 0), NULL for anything else (exponents, assets, blanks)
-- kt_unit20(n)                  -> one unit of the n-th decimal (10^-n) as DECIMAL(38,20), n <= 19
-- kt_order_history_2020_rows(tbl) -> the rows of table tbl (a Binance Order History 2020 read by position, c1..c11)
--                                  as source_row, f (the eleven cells, trimmed, blank as NULL), row_type (order:
--                                  a date in the first cell | subheader | fill: a date in the second | blank |
--                                  other) and order_seq (the order rows at or above it: a fill's order); for its
--                                  order and fill parts, which must split the file the same way
-- kt_half_unit12(n)             -> half a unit of the n-th decimal (5 x 10^-(n+1)) as DECIMAL(38,12), n <= 10
CREATE MACRO kt_num_text(x) AS replace(trim(x), ',', '');
CREATE MACRO kt_dec(x) AS try_cast(kt_num_text(x) AS DECIMAL(38, 18));
CREATE MACRO kt_bad(x) AS (x IS NOT NULL AND kt_dec(x) IS NULL);
CREATE MACRO kt_time(x, fmts, mins) AS
    CAST(try_strptime(trim(x), fmts) - to_minutes(CAST(mins AS BIGINT)) AS TIMESTAMPTZ);
CREATE MACRO kt_quoted(x) AS '''' || left(coalesce(x, ''), 40) || '''';
CREATE MACRO kt_strip_asset(x, asset) AS
    CASE WHEN asset IS NOT NULL AND asset <> '' AND ends_with(upper(kt_num_text(x)), upper(asset))
         THEN try_cast(left(kt_num_text(x), length(kt_num_text(x)) - length(asset)) AS DECIMAL(38, 18))
         ELSE kt_dec(x)
    END;
CREATE MACRO kt_strip_known(x, asset) AS
    CASE WHEN asset <> '' AND ends_with(x, asset)
         THEN try_cast(left(x, length(x) - length(asset)) AS DECIMAL(38, 18))
    END;
CREATE MACRO kt_listed_quote(p, q5, q4, q3) AS
    CASE WHEN length(p) > 5 AND list_contains(q5, right(p, 5)) THEN right(p, 5)
         WHEN length(p) > 4 AND list_contains(q4, right(p, 4)) THEN right(p, 4)
         WHEN length(p) > 3 AND list_contains(q3, right(p, 3)) THEN right(p, 3)
    END;
CREATE MACRO kt_blank(x) AS nullif(trim(x), '');
CREATE MACRO kt_formula(x) AS
    (left(x, 1) IN ('=', '+', '@', chr(9), chr(13)) OR (left(x, 1) = '-' AND NOT regexp_matches(x, '^-[0-9.]')));
CREATE MACRO kt_shown_decimals(x) AS
    CASE WHEN regexp_full_match(x, '-?[0-9]+[.][0-9]+') THEN length(split_part(x, '.', 2))
         WHEN regexp_full_match(x, '-?[0-9]+') THEN 0
    END;
-- kt_places_fast(text): the decimals after the dot without checking the text is a number (a cheap bound
-- for the price x quantity check's fast path; kt_shown_decimals is the exact one)
CREATE MACRO kt_places_fast(x) AS CASE WHEN contains(x, '.') THEN length(x) - strpos(x, '.') ELSE 0 END;
CREATE MACRO kt_unit20(n) AS
    CAST(CASE WHEN n = 0 THEN '1' ELSE '0.' || repeat('0', CAST(n - 1 AS BIGINT)) || '1' END AS DECIMAL(38, 20));
CREATE MACRO kt_half_unit12(n) AS CAST('0.' || repeat('0', CAST(n AS BIGINT)) || '5' AS DECIMAL(38, 12));
CREATE MACRO kt_order_history_2020_rows(tbl) AS TABLE
    WITH cells AS (
        SELECT
            r.source_row,
            list_value(kt_blank(r.c1), kt_blank(r.c2), kt_blank(r.c3), kt_blank(r.c4), kt_blank(r.c5), kt_blank(r.c6),
                       kt_blank(r.c7), kt_blank(r.c8), kt_blank(r.c9), kt_blank(r.c10), kt_blank(r.c11)) AS f
        FROM query_table(tbl) AS r
    ),
    typed_rows AS (
        SELECT
            c.source_row,
            c.f,
            CASE
                WHEN c.f[1] IS NOT NULL THEN 'order'
                WHEN lower(replace(c.f[2], ' ', '')) = 'date(utc)' THEN 'subheader'
                WHEN c.f[2] IS NOT NULL THEN 'fill'
                WHEN list_count(c.f) = 0 THEN 'blank'
                ELSE 'other'
            END AS row_type
        FROM cells AS c
    )
    SELECT
        y.*,
        count(*) FILTER (WHERE y.row_type = 'order') OVER (ORDER BY y.source_row ROWS UNBOUNDED PRECEDING) AS order_seq
    FROM typed_rows AS y;
