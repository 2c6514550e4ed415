-- 01_files: the evidence files of the accounts being reconciled, numbered in SHA-256 order.
-- Grain: one row per evidence file holding trades, orders or ledger rows of an account in rc_scope.
-- Every evidence row is then keyed by one BIGINT, rk = kind * 2^60 + file_no * 2^36 + source_row
-- (kind 1 fill, 2 order, 3 ledger leg, whose rk is file_no * 2^36 + source_row * 16 + its place among its
-- row's legs): exact, ordered like (kind, evidence_sha256, source_row), and
-- cheaper to group and join than the 64-character hash. Columns: sha, file_no. Params: none.
CREATE TEMP TABLE rc_file AS
SELECT sha, row_number() OVER (ORDER BY sha) AS file_no
FROM (
    SELECT DISTINCT t.evidence_sha256 AS sha FROM trades AS t
    SEMI JOIN rc_scope AS s ON s.exchange = t.exchange AND s.account = t.account
    UNION
    SELECT DISTINCT o.evidence_sha256 FROM orders AS o
    SEMI JOIN rc_scope AS s ON s.exchange = o.exchange AND s.account = o.account
    UNION
    SELECT DISTINCT m.evidence_sha256 FROM ledger_movements AS m
    SEMI JOIN rc_scope AS s ON s.exchange = m.exchange AND s.account = m.account
) AS f
