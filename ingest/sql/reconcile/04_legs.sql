-- 04_legs: the trade and fee legs of the ledgers of the accounts being reconciled, grouped into the
-- trades they make and given the side they belong to.
-- Grain: one row per ledger_movements row of kind trade (with a non-zero amount or fee) or fee (with a
-- non-zero amount) of an account in rc_scope.
-- Groups (within one evidence file): legs sharing a ref_id (Kraken refid, Coinbase Pro trade id, OKX bill
-- id, Binance statement 'UTC_Time|Account') are one group; legs without one are grouped by (wallet, second), because a
-- statement second can hold many fills and its legs do not come paired. gid, the group's id, is its
-- first leg's rk. A group's quote asset is its trade legs' asset that ranks first in $quote_rank
-- (stablecoins, then fiat, then BTC, ETH, BNB, ...; unlisted assets after, by name). A trade leg's
-- side: quote spent or base received = buy; base given or quote received = sell. A fee leg's side is
-- decided in 05_ledger_groups.sql.
-- Amount convention of ledger_movements: `amount` is the movement before its fee and `fee` the fee
-- charged in the same asset (balance = previous + amount - fee); a separate fee row has a negative amount.
-- Columns: exchange, account, time_utc, wallet, kind, operation, asset, amount, fee, ref_id,
--   evidence_sha256, source_row, ingest_run_id, format, rk, is_fee, gid, group_time, sec, quote, leg_side,
--   base_flag. Params: $quote_rank.
CREATE TEMP TABLE rc_leg AS
WITH l AS (
    SELECT m.exchange, m.account, m.time_utc, m.wallet, m.kind, m.operation, m.asset, m.amount, m.fee, m.ref_id,
           m.evidence_sha256, m.source_row, m.ingest_run_id, m.format,
           -- a file row can hold several legs (a Coinbase Convert row: the asset given and the one received),
           -- so a leg's rk adds its place among its row's legs (at most 16) to 16 x source_row
           3458764513820540928 + fl.file_no * 68719476736 + m.source_row * 16
               + row_number() OVER (PARTITION BY m.evidence_sha256, m.source_row
                                    ORDER BY m.asset, m.amount, m.kind, m.operation) - 1 AS rk,
           CAST(fl.file_no AS VARCHAR) || CASE WHEN m.ref_id IS NOT NULL THEN 'r|' || m.ref_id
                ELSE 'w|' || coalesce(m.wallet, '') || '|' || strftime(m.time_utc, '%Y-%m-%d %H:%M:%S') END AS gkey,
           m.kind = 'fee' AS is_fee
    FROM ledger_movements AS m
    SEMI JOIN rc_scope AS s ON s.exchange = m.exchange AND s.account = m.account
    JOIN rc_file AS fl ON fl.sha = m.evidence_sha256
    WHERE (m.kind = 'trade' AND (m.amount <> 0 OR coalesce(m.fee, 0) <> 0))
       OR (m.kind = 'fee' AND m.amount <> 0)
),
groups AS (
    SELECT exchange, account, gkey, min(rk) AS gid,
           min(time_utc) FILTER (WHERE NOT is_fee AND amount <> 0) AS group_time,
           substr(min(lpad(CAST(coalesce(list_position($quote_rank, asset), 9999) AS VARCHAR), 4, '0') || asset)
                  FILTER (WHERE NOT is_fee AND amount <> 0), 5) AS quote
    FROM l
    GROUP BY exchange, account, gkey
)
SELECT l.* EXCLUDE (gkey),
       g.gid, g.group_time, date_trunc('second', g.group_time) AS sec, g.quote,
       CASE WHEN l.is_fee OR l.amount = 0 THEN NULL
            WHEN l.asset = g.quote THEN CASE WHEN l.amount < 0 THEN 'buy' ELSE 'sell' END
            ELSE CASE WHEN l.amount > 0 THEN 'buy' ELSE 'sell' END
       END AS leg_side,
       l.asset <> g.quote AS base_flag
FROM l
JOIN groups AS g ON g.exchange = l.exchange AND g.account = l.account AND g.gkey = l.gkey
