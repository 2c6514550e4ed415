-- macros: the text forms every reader and writer of the database shares, created as temporary macros on
-- each connection keytrace opens (core/db.py) and on the private staging database (ingest/load.py), so an
-- export, a format's message and a derived execution write a number or a time the same way.
-- Grain: scalar macros. Params: none (each macro takes its inputs as arguments).
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
