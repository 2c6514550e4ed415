-- 11_conflicts: where two kinds of evidence of an account disagree, or legs cannot be read as trades.
-- Grain: inserts one execution_conflicts row per (match, disagreeing field), one per ledger group that
-- cannot be read while no fill or order of the account stands in its second, and one per readable
-- ledger group side whose price cannot be derived.
-- A match (06_matches.sql) compares the sums of its kept executions with the sums of its lower kind:
-- quantity, quote quantity, and the fee when both sides give one for every member (a Binance Order
-- History gives none). The kept side stays the executions; nothing is merged or adjusted.
-- Params: none.
INSERT INTO execution_conflicts (exchange, account, time_utc, pair, side, conflict, kept_from, kept_value,
                                 other_from, other_value, evidence_sha256, source_row, other_sha256, other_rows,
                                 detail)
WITH kept AS (
    SELECT m.match_id, min(m.member_from) AS kept_from, min(m.member_rk) AS anchor_rk,
           sum(e.quantity) AS q, sum(e.quote_quantity) AS qq, sum(e.fee) AS fee, count(e.fee) AS n_fee,
           count(*) AS n, min(e.fee_asset) AS fee_asset, max(e.fee_asset) AS fee_asset_max
    FROM rc_match AS m
    JOIN rc_exec AS e ON e.rk = m.member_rk
    WHERE m.kept
    GROUP BY m.match_id
),
other_values AS (
    SELECT m.match_id, m.member_rk, m.member_from, m.matched_by, m.exchange, m.account, m.pair, m.side, m.sec,
           coalesce(o.quantity, l.quantity) AS q, coalesce(o.quote_quantity, l.quote_quantity) AS qq,
           coalesce(o.fee, l.fee) AS fee, coalesce(o.fee_asset, l.fee_asset) AS fee_asset,
           coalesce(o.order_id, l.ref_id) AS ref
    FROM rc_match AS m
    LEFT JOIN rc_order AS o ON m.member_from = 'order' AND o.rk = m.member_rk
    LEFT JOIN rc_ledger_group AS l ON m.member_from = 'ledger' AND l.ok AND l.rk = m.member_rk
    WHERE NOT m.kept
),
other AS (
    SELECT match_id, min(member_from) AS other_from, min(matched_by) AS matched_by, min(exchange) AS exchange,
           min(account) AS account, min(pair) AS pair, min(side) AS side, min(sec) AS sec, min(ref) AS ref,
           sum(q) AS q, sum(qq) AS qq, sum(fee) AS fee, count(fee) AS n_fee, count(*) AS n,
           min(fee_asset) AS fee_asset, max(fee_asset) AS fee_asset_max
    FROM other_values
    GROUP BY match_id
),
compared AS (
    SELECT o.*, k.kept_from, k.anchor_rk, k.q AS k_q, k.qq AS k_qq, k.fee AS k_fee, k.n_fee AS k_n_fee, k.n AS k_n,
           k.fee_asset AS k_fee_asset, k.fee_asset_max AS k_fee_asset_max,
           split_part(o.pair, '/', 1) AS base, split_part(o.pair, '/', 2) AS quote,
           CASE o.other_from WHEN 'order' THEN 'filled orders' ELSE 'statement legs' END AS other_label,
           CASE k.kept_from WHEN 'fill' THEN 'fills' ELSE 'filled orders' END AS kept_label,
           CASE o.matched_by WHEN 'second' THEN 'of ' || o.pair || ' (' || o.side || ') at '
                                                || strftime(o.sec, '%Y-%m-%d %H:%M:%S') || ' UTC'
                             WHEN 'order_id' THEN 'of order ' || o.ref
                             ELSE 'of trade ' || o.ref END AS what
    FROM other AS o
    JOIN kept AS k ON k.match_id = o.match_id
),
fields AS (
    SELECT c.*, f.field,
           CASE f.field
               WHEN 'quantity' THEN kt_plain(c.k_q) || ' ' || c.base
               WHEN 'quote_quantity' THEN kt_plain(c.k_qq) || ' ' || c.quote
               ELSE kt_plain(c.k_fee) || ' ' || coalesce(c.k_fee_asset, '')
           END AS kept_value,
           CASE f.field
               WHEN 'quantity' THEN kt_plain(c.q) || ' ' || c.base
               WHEN 'quote_quantity' THEN kt_plain(c.qq) || ' ' || c.quote
               ELSE kt_plain(c.fee) || ' ' || coalesce(c.fee_asset, '')
           END AS other_value
    FROM compared AS c
    CROSS JOIN (VALUES ('quantity'), ('quote_quantity'), ('fee')) AS f(field)
    WHERE CASE f.field
              WHEN 'quantity' THEN c.k_q <> c.q
              WHEN 'quote_quantity' THEN c.k_qq <> c.qq
              ELSE c.k_n_fee = c.k_n AND c.n_fee = c.n
                   AND (c.k_fee_asset <> c.k_fee_asset_max OR c.fee_asset <> c.fee_asset_max
                        OR c.k_fee_asset <> c.fee_asset OR c.k_fee <> c.fee)
          END
),
other_files AS (   -- the lower kind's rows of each disagreeing match, in its first file
    SELECT s.member_rk, s.src_sha256, s.src_row
    FROM rc_source AS s
    WHERE s.role = 'corroborating'
),
other_rows AS (
    SELECT x.match_id, min(f.src_sha256) AS sha
    FROM other_values AS x JOIN other_files AS f ON f.member_rk = x.member_rk
    WHERE x.match_id IN (SELECT d.match_id FROM fields AS d)
    GROUP BY x.match_id
),
other_rows_text AS (
    SELECT r.match_id, r.sha, array_to_string(list_sort(list_distinct(list(f.src_row))), ';') AS rows_text
    FROM other_rows AS r
    JOIN other_values AS x ON x.match_id = r.match_id
    JOIN other_files AS f ON f.member_rk = x.member_rk AND f.src_sha256 = r.sha
    GROUP BY r.match_id, r.sha
),
unpaired AS (
    SELECT g.*
    FROM rc_ledger_group AS g
    ANTI JOIN rc_exec AS e ON e.exchange = g.exchange AND e.account = g.account AND e.sec = g.sec
                           AND e.derived_from <> 'ledger'
    WHERE NOT g.ok
),
unpaired_legs AS (
    SELECT l.gid, min(l.evidence_sha256) AS sha, count(DISTINCT l.asset) AS n_assets
    FROM rc_leg AS l SEMI JOIN unpaired AS u ON u.gid = l.gid
    GROUP BY l.gid
),
unpaired_rows AS (
    SELECT p.gid, p.sha, p.n_assets, string_agg(CAST(l.source_row AS VARCHAR), ';' ORDER BY l.source_row) AS rows_text
    FROM unpaired_legs AS p JOIN rc_leg AS l ON l.gid = p.gid AND l.evidence_sha256 = p.sha
    GROUP BY p.gid, p.sha, p.n_assets
),
underivable AS (
    SELECT g.*, l.evidence_sha256 AS sha,
           (SELECT string_agg(CAST(x.source_row AS VARCHAR), ';' ORDER BY x.source_row) FROM rc_leg AS x
            WHERE x.gid = g.gid AND x.evidence_sha256 = l.evidence_sha256) AS rows_text
    FROM rc_ledger_group AS g
    JOIN rc_leg AS l ON l.rk = g.rk
    WHERE g.ok AND g.rk = g.exec_rk AND g.price IS NULL
)
SELECT f.exchange, f.account, f.sec, f.pair, f.side, f.field, f.kept_from, f.kept_value, f.other_from, f.other_value,
       e.evidence_sha256, e.source_row, t.sha, t.rows_text,
       'the ' || f.other_label || ' ' || f.what || ' record '
           || CASE f.field WHEN 'quantity' THEN 'a quantity of ' WHEN 'quote_quantity' THEN 'a quote quantity of '
                           ELSE 'a fee of ' END
           || f.other_value || ', the ' || f.kept_label || ' ' || f.kept_value || '; the ' || f.kept_label
           || ' are kept as the executions'
FROM fields AS f
JOIN rc_exec AS e ON e.rk = f.anchor_rk
JOIN other_rows_text AS t ON t.match_id = f.match_id
UNION ALL
SELECT u.exchange, u.account, u.sec, NULL, NULL, 'legs_unpaired', NULL, NULL, 'ledger', NULL, NULL, NULL,
       r.sha, r.rows_text,
       'the statement legs at ' || strftime(u.sec, '%Y-%m-%d %H:%M:%S') || ' UTC (' || r.n_assets
           || ' assets) cannot be read as trades: ' || u.reason
FROM unpaired AS u
JOIN unpaired_rows AS r ON r.gid = u.gid
UNION ALL
SELECT g.exchange, g.account, g.sec, g.pair, g.side, 'price_not_derivable', NULL, NULL, 'ledger',
       kt_plain(g.quote_quantity) || ' ' || g.quote_asset || ' for ' || kt_plain(g.quantity) || ' ' || g.base_asset,
       NULL, NULL, g.sha, g.rows_text,
       'the statement legs at ' || strftime(g.sec, '%Y-%m-%d %H:%M:%S') || ' UTC trade amounts whose price cannot '
           || 'be written with 18 decimal places and 20 integer digits; they are not counted as an execution'
FROM underivable AS g
