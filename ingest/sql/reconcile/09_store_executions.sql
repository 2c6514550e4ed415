-- 09_store_executions: store the reconciled executions of the accounts being reconciled.
-- Grain: inserts one executions row per rc_exec row, with the kinds that corroborate it (the lower
-- kinds of every match in which it is kept) and the number of evidence rows behind it.
-- Params: none.
INSERT INTO executions (exchange, account, time_utc, pair, base_asset, quote_asset, side, price, quantity,
                        quote_quantity, fee, fee_asset, order_id, trade_id, counter_order_id, channel, liquidity,
                        derived_from, corroborated_by, source_count, evidence_sha256, source_row, ingest_run_id,
                        format)
WITH corroboration AS (
    SELECT k.member_rk AS rk, string_agg(DISTINCT o.member_from, ';' ORDER BY o.member_from) AS kinds
    FROM rc_match AS k
    JOIN rc_match AS o ON o.match_id = k.match_id AND NOT o.kept
    WHERE k.kept
    GROUP BY k.member_rk
),
counts AS (   -- besides its one primary row
    SELECT exec_rk AS rk, count(*) AS n FROM rc_source WHERE role <> 'primary' GROUP BY exec_rk
)
SELECT e.exchange, e.account, e.time_utc, e.pair, e.base_asset, e.quote_asset, e.side, e.price, e.quantity,
       e.quote_quantity, e.fee, e.fee_asset, e.order_id, e.trade_id, e.counter_order_id, e.channel, e.liquidity,
       e.derived_from, c.kinds, 1 + coalesce(n.n, 0), e.evidence_sha256, e.source_row, e.ingest_run_id, e.format
FROM rc_exec AS e
LEFT JOIN corroboration AS c ON c.rk = e.rk
LEFT JOIN counts AS n ON n.rk = e.rk
