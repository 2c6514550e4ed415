-- report_incident_victims: every account with unauthorised trades, its loss, whether a leaked key of
-- it is known, and the claims filed for it; largest loss first.
-- Grain: one row per (exchange, account).
-- Params: none.
SELECT l.exchange, l.account, l.unauthorized_trades, l.loss_usd, l.first_unauthorized_utc,
       l.last_unauthorized_utc, l.compromised_key,
       coalesce((SELECT string_agg(CAST(c.id AS VARCHAR), ',' ORDER BY c.id) FROM claims c
                 WHERE c.exchange = l.exchange AND c.account = l.account), '') AS claim_ids
FROM account_losses l
ORDER BY l.loss_usd DESC NULLS LAST, l.exchange, l.account
