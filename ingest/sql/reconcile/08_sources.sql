-- 08_sources: every evidence row behind each reconciled execution, before they are stored.
-- Grain: one row per (execution, contributing evidence row).
-- An execution's own rows: its primary row; for a fill or order, the duplicates it stands for (same
-- id, or the same fill in an overlapping file); for a ledger execution, its trade legs and the fee legs
-- of its side, and those of the same side in another statement of the account (duplicate). The rows of a match's lower kind (an order, a statement group side, with their
-- duplicates and legs) corroborate the match's first kept execution (role corroborating).
-- Columns: exec_rk, source_table, src_sha256, src_row, src_format, role, matched_by, member_rk. Params: none.
CREATE TEMP TABLE rc_source AS
WITH group_sides AS (
    SELECT gid, count(*) AS n_sides FROM rc_ledger_group WHERE ok GROUP BY gid
),
ledger_rows AS (   -- (ledger group side rk, leg) for every readable group side
    SELECT g.rk AS member_rk, l.evidence_sha256, l.source_row, l.format,
           CASE WHEN l.is_fee THEN 'fee_leg' WHEN l.rk = g.rk THEN 'primary' ELSE 'leg' END AS role,
           CASE WHEN l.rk = g.rk THEN 'self' WHEN l.ref_id IS NOT NULL THEN 'ref_id' ELSE 'second' END AS matched_by
    FROM rc_ledger_group AS g
    JOIN group_sides AS n ON n.gid = g.gid
    JOIN rc_leg AS l ON l.gid = g.gid
    WHERE g.ok
      AND ((NOT l.is_fee AND l.leg_side = g.side)
           OR (l.is_fee AND (n.n_sides = 1 OR (g.side = 'buy' AND l.asset = g.base_asset)
                             OR (g.side = 'sell' AND l.asset = g.quote_asset))))
),
order_rows AS (
    SELECT o.exec_rk AS member_rk, o.evidence_sha256, o.source_row, o.format,
           CASE WHEN o.rk = o.exec_rk THEN 'primary' ELSE 'duplicate' END AS role, o.matched_by
    FROM rc_order AS o
),
anchors AS (
    SELECT match_id, min(member_rk) FILTER (WHERE kept) AS anchor_rk FROM rc_match GROUP BY match_id
),
others AS (
    SELECT m.member_rk, m.member_from, m.matched_by, a.anchor_rk
    FROM rc_match AS m JOIN anchors AS a ON a.match_id = m.match_id
    WHERE NOT m.kept
)
SELECT f.exec_rk, 'trades' AS source_table, f.evidence_sha256 AS src_sha256, f.source_row AS src_row,
       f.format AS src_format, CASE WHEN f.rk = f.exec_rk THEN 'primary' ELSE 'duplicate' END AS role,
       f.matched_by, f.exec_rk AS member_rk
FROM rc_fill AS f
UNION ALL
SELECT o.member_rk, 'orders', o.evidence_sha256, o.source_row, o.format, o.role, o.matched_by, o.member_rk
FROM order_rows AS o SEMI JOIN rc_exec AS e ON e.rk = o.member_rk
UNION ALL
SELECT l.member_rk, 'ledger_movements', l.evidence_sha256, l.source_row, l.format, l.role, l.matched_by,
       l.member_rk
FROM ledger_rows AS l SEMI JOIN rc_exec AS e ON e.rk = l.member_rk
UNION ALL
SELECT x.anchor_rk, 'orders', o.evidence_sha256, o.source_row, o.format, 'corroborating', x.matched_by, x.member_rk
FROM others AS x JOIN order_rows AS o ON o.member_rk = x.member_rk
WHERE x.member_from = 'order'
UNION ALL
SELECT x.anchor_rk, 'ledger_movements', l.evidence_sha256, l.source_row, l.format, 'corroborating', x.matched_by,
       x.member_rk
FROM others AS x JOIN ledger_rows AS l ON l.member_rk = x.member_rk
WHERE x.member_from = 'ledger'
