-- The reconciled executions, for `keytrace export trades` (the first twelve columns are fixed in
-- ARCHITECTURE.md; the rest say where each execution comes from).
-- Grain: one row per execution (ingest/reconcile.py): a fill, a filled order or a statement group's side,
-- counted once however many files or kinds of evidence record it; in account and time order.
-- Columns: exchange, account, time_utc (ISO 8601, Z), pair (BASE/QUOTE), side (buy|sell), price,
-- quantity, quote_quantity, fee, fee_asset (amounts as exact decimal strings, no trailing zeros),
-- evidence_sha256, source_row (the execution's primary evidence row), derived_from (fill | order |
-- ledger), corroborated_by (the other kinds recording it), other_evidence (every other contributing
-- row as sha256:row, semicolon-separated). Params: none.
WITH others AS (
    SELECT s.exchange, s.account, s.evidence_sha256, s.source_row,
           string_agg(s.src_sha256 || ':' || CAST(s.src_row AS VARCHAR), ';'
                      ORDER BY s.src_sha256, s.src_row) AS other_evidence
    FROM execution_sources AS s
    WHERE s.role <> 'primary'
    GROUP BY s.exchange, s.account, s.evidence_sha256, s.source_row
)
SELECT
    lower(t.exchange) AS exchange,
    t.account,
    kt_iso_utc(t.time_utc) AS time_utc,
    upper(t.pair) AS pair,
    t.side,
    kt_plain(t.price) AS price,
    kt_plain(t.quantity) AS quantity,
    kt_plain(t.quote_quantity) AS quote_quantity,
    kt_plain(t.fee) AS fee,
    t.fee_asset,
    t.evidence_sha256,
    t.source_row,
    t.derived_from,
    t.corroborated_by,
    o.other_evidence
FROM executions AS t
LEFT JOIN others AS o ON o.exchange = t.exchange AND o.account = t.account
                     AND o.evidence_sha256 = t.evidence_sha256 AND o.source_row = t.source_row
ORDER BY t.exchange, t.account, t.time_utc, t.pair, t.side, t.evidence_sha256, t.source_row
