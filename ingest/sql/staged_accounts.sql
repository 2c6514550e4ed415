-- staged_accounts: the exchange UIDs a staged file names on its good rows.
-- Grain: one row per distinct account. Columns: account. Params: none.
SELECT DISTINCT s.account
FROM staged AS s
WHERE s.account IS NOT NULL
  AND s.source_row NOT IN (SELECT p.source_row FROM problems AS p)
ORDER BY 1
