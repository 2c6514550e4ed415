-- 07_executions: the reconciled executions of the accounts being reconciled, before they are stored.
-- Grain: one row per execution: every fill that stands for its duplicates; every filled order with a
-- price that no match holds as corroboration; every readable ledger group side with a derivable price
-- that no match holds as corroboration. An order without a fee (a Binance Order History gives none) that
-- one statement side alone corroborates takes that side's fee legs' fee. A ledger-derived execution is at its group's first trade leg
-- time, its price quote / base truncated to 18 decimal places, its identity its first trade leg.
-- Columns: the executions columns without corroborated_by and source_count, plus rk, sec. Params: none.
CREATE TEMP TABLE rc_exec AS
WITH consumed AS (SELECT DISTINCT member_rk FROM rc_match WHERE NOT kept),
one_to_one AS (
    SELECT match_id FROM rc_match GROUP BY match_id
    HAVING count(*) FILTER (WHERE kept) = 1 AND count(*) FILTER (WHERE NOT kept) = 1
),
fee_given AS (   -- the fee a single corroborating statement side gives a single execution that has none
    SELECT k.member_rk AS rk, l.fee, l.fee_asset
    FROM rc_match AS k
    SEMI JOIN one_to_one AS m ON m.match_id = k.match_id
    JOIN rc_match AS o ON o.match_id = k.match_id AND NOT o.kept AND o.member_from = 'ledger'
    JOIN rc_ledger_group AS l ON l.ok AND l.rk = o.member_rk
    WHERE k.kept AND l.fee IS NOT NULL
)
SELECT f.exchange, f.account, f.time_utc, f.pair, f.base_asset, f.quote_asset, f.side, f.price, f.quantity,
       f.quote_quantity, f.fee, f.fee_asset, f.order_id, f.trade_id, f.counter_order_id, f.channel, f.liquidity,
       'fill' AS derived_from, f.evidence_sha256, f.source_row, f.ingest_run_id, f.format, f.rk, f.sec
FROM rc_fill AS f
WHERE f.rk = f.exec_rk
UNION ALL
SELECT o.exchange, o.account, o.time_utc, o.pair, o.base_asset, o.quote_asset, o.side, o.price, o.quantity,
       o.quote_quantity, coalesce(o.fee, g.fee), CASE WHEN o.fee IS NULL THEN g.fee_asset ELSE o.fee_asset END,
       o.order_id, NULL, NULL, o.channel, NULL,
       'order', o.evidence_sha256, o.source_row, o.ingest_run_id, o.format, o.rk, o.sec
FROM rc_order AS o
LEFT JOIN fee_given AS g ON g.rk = o.rk
ANTI JOIN consumed AS c ON c.member_rk = o.rk
WHERE o.rk = o.exec_rk AND o.price IS NOT NULL
UNION ALL
SELECT l.exchange, l.account, l.time_utc, l.pair, l.base_asset, l.quote_asset, l.side, l.price, l.quantity,
       l.quote_quantity, l.fee, l.fee_asset, NULL, NULL, NULL, NULL, NULL,
       'ledger', leg.evidence_sha256, leg.source_row, leg.ingest_run_id, leg.format, l.rk, l.sec
FROM rc_ledger_group AS l
JOIN rc_leg AS leg ON leg.rk = l.rk
ANTI JOIN consumed AS c ON c.member_rk = l.rk
WHERE l.ok AND l.rk = l.exec_rk AND l.price IS NOT NULL
