-- 03_legs: the trade and fee legs of the ledgers of the accounts being reconciled, grouped into the
-- trades they make and given the side they belong to.
-- Grain: one row per ledger_movements row of kind trade or fee (with a non-zero amount or fee) of an
-- account in rc_scope.
-- Groups: legs sharing a ref_id (Kraken refid, Coinbase Pro trade id, OKX id, Binance statement
-- 'UTC_Time|Account') are one group; legs without one are grouped by (wallet, second), because a
-- statement second can hold many fills and its legs do not come paired. A group's quote asset is its
-- asset that ranks first in $quote_rank (stablecoins, then fiat, then BTC, ETH, BNB, ...; unlisted
-- assets after, by name). A trade leg's side: quote spent or base received = buy; base given or quote
-- received = sell. A fee leg's side is decided in 04_ledger_groups.sql.
-- Amount convention of ledger_movements: `amount` is the movement before its fee and `fee` the fee
-- charged in the same asset (balance = previous + amount - fee); a separate fee row has a negative amount.
-- Columns: the ledger_movements columns, rk, gk (group key), sec, quote (the group's quote asset),
--   leg_role (leg | fee_leg), leg_side (buy | sell, NULL for fee legs), base_flag. Params: $quote_rank.
CREATE TEMP TABLE rc_leg AS
WITH l AS (
    SELECT m.*,
           m.evidence_sha256 || ':' || lpad(CAST(m.source_row AS VARCHAR), 12, '0') AS rk,
           m.exchange || '|' || m.account || '|' || coalesce('r|' || m.ref_id,
               'w|' || coalesce(m.wallet, '') || '|' || strftime(m.time_utc, '%Y-%m-%d %H:%M:%S')) AS gk,
           CASE WHEN m.kind = 'fee' THEN 'fee_leg' ELSE 'leg' END AS leg_role
    FROM ledger_movements AS m
    SEMI JOIN rc_scope AS s ON s.exchange = m.exchange AND s.account = m.account
    WHERE (m.kind = 'trade' AND (m.amount <> 0 OR coalesce(m.fee, 0) <> 0))
       OR (m.kind = 'fee' AND m.amount <> 0)
),
quotes AS (
    SELECT gk,
           substr(min(lpad(CAST(coalesce(list_position($quote_rank, asset), 9999) AS VARCHAR), 4, '0') || asset), 5)
               AS quote,
           min(time_utc) AS group_time
    FROM l
    WHERE leg_role = 'leg' AND amount <> 0
    GROUP BY gk
)
SELECT l.*,
       q.group_time,
       date_trunc('second', q.group_time) AS sec,
       q.quote,
       CASE WHEN l.leg_role = 'fee_leg' OR l.amount = 0 THEN NULL
            WHEN l.asset = q.quote THEN CASE WHEN l.amount < 0 THEN 'buy' ELSE 'sell' END
            ELSE CASE WHEN l.amount > 0 THEN 'buy' ELSE 'sell' END
       END AS leg_side,
       l.asset <> q.quote AS base_flag
FROM l
LEFT JOIN quotes AS q ON q.gk = l.gk
