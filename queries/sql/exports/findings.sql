-- The unauthorised trades found by `keytrace detect`, for `keytrace export findings` (columns fixed in
-- ARCHITECTURE.md). Grain: one row per trade judged unauthorised, in account and time order.
-- Columns: exchange, account, time_utc (ISO 8601, Z), pair, side, price, quantity, quote_quantity,
-- score (0-..., see queries/sql/detect/03_trade_scores.sql), reasons (semicolon-separated codes), loss_usd (the
-- trade's loss, definition in queries/sql/detect/05_unauthorized_trades.sql; empty when it has no fair price).
-- Params: none.
SELECT
    lower(u.exchange) AS exchange,
    u.account,
    kt_iso_utc(u.time_utc) AS time_utc,
    upper(u.pair) AS pair,
    u.side,
    kt_plain(u.price) AS price,
    kt_plain(u.quantity) AS quantity,
    kt_plain(u.quote_quantity) AS quote_quantity,
    u.score,
    u.reasons,
    kt_plain(u.loss_usd) AS loss_usd
FROM unauthorized_trades AS u
ORDER BY u.exchange, u.account, u.time_utc, u.pair, u.side, u.evidence_sha256, u.source_row
