-- The canonical trades, for `keytrace export trades` (columns fixed in ARCHITECTURE.md).
-- Grain: one row per stored fill, in account and time order.
-- Columns: exchange, account, time_utc (ISO 8601, Z), pair (BASE/QUOTE), side (buy|sell), price,
-- quantity, quote_quantity, fee, fee_asset (amounts as exact decimal strings, no trailing zeros),
-- evidence_sha256, source_row. Params: none.
SELECT
    lower(t.exchange) AS exchange,
    t.account,
    CASE WHEN microsecond(t.time_utc) % 1000000 = 0
         THEN strftime(t.time_utc, '%Y-%m-%dT%H:%M:%SZ')
         ELSE strftime(t.time_utc, '%Y-%m-%dT%H:%M:%S.%fZ')
    END AS time_utc,
    upper(t.pair) AS pair,
    t.side,
    rtrim(rtrim(CAST(t.price AS VARCHAR), '0'), '.') AS price,
    rtrim(rtrim(CAST(t.quantity AS VARCHAR), '0'), '.') AS quantity,
    rtrim(rtrim(CAST(t.quote_quantity AS VARCHAR), '0'), '.') AS quote_quantity,
    rtrim(rtrim(CAST(t.fee AS VARCHAR), '0'), '.') AS fee,
    t.fee_asset,
    t.evidence_sha256,
    t.source_row
FROM trades AS t
ORDER BY t.exchange, t.account, t.time_utc, t.pair, t.side, t.evidence_sha256, t.source_row, t.occurrence
