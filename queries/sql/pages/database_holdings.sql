-- What it answers: what this database holds, in counts (the overview's "What this database holds" and
-- `keytrace demo`'s closing line).
-- Grain: one row. Columns: one count per kind of stored thing, named as shown.
-- Parameters: none.
SELECT
    (SELECT count(*) FROM evidence_files)   AS "Evidence files",
    (SELECT count(*) FROM accounts)         AS "Accounts under investigation",
    (SELECT count(*) FROM trades)           AS "Trades",
    (SELECT count(*) FROM ledger_movements) AS "Ledger movements",
    (SELECT count(*) FROM price_bars)       AS "Reference price bars",
    (SELECT count(*) FROM leaked_keys)      AS "Leaked key fingerprints",
    (SELECT count(*) FROM transfers)        AS "On-chain transfers",
    (SELECT count(*) FROM claims)           AS "Claims",
    (SELECT count(*) FROM audit_log)        AS "Audit entries"
