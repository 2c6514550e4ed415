-- 009_ingest_account_source: did the file itself name the account it was stored under?
-- A Binance Trade History carries no UID: its rows are stored under the account given with --account
-- (or the claim's UID, for a claimant's upload). Such an export says nothing about who owns the
-- account, so ownership grading (queries/sql/ownership_evidence.sql) counts only exports whose own
-- rows name the account. NULL for runs recorded before this column existed (not known: not counted).
ALTER TABLE ingest_runs ADD COLUMN account_from_file BOOLEAN;
