-- audit legitimate_and_unauthorized: trades judged unauthorised although the user's own bot platform
-- log explains them (legitimate).
-- Grain: one row per offending trade. Params: none.
SELECT u.exchange, u.account, u.evidence_sha256, u.source_row, u.time_utc, u.pair
FROM unauthorized_trades u
JOIN trade_scores s ON s.exchange = u.exchange AND s.account = u.account
                   AND s.evidence_sha256 = u.evidence_sha256 AND s.source_row = u.source_row
WHERE s.bot_explained
