-- 10_store_sources: store the evidence rows behind each reconciled execution.
-- Grain: inserts one execution_sources row per rc_source row whose execution is stored.
-- Params: none.
INSERT INTO execution_sources (exchange, account, evidence_sha256, source_row, source_table, src_sha256, src_row,
                               src_format, role, matched_by)
SELECT e.exchange, e.account, e.evidence_sha256, e.source_row, s.source_table, s.src_sha256, s.src_row,
       s.src_format, s.role, s.matched_by
FROM rc_source AS s
JOIN rc_exec AS e ON e.rk = s.exec_rk
