-- coinbase_transactions_ledger: Coinbase transaction history (all header generations) as canonical ledger
-- movements: every row is a balance change of its Asset; a Convert adds the received leg named in its Notes
-- ("Converted 0.1 ETH to 345.97 USDC").
-- Grain: one row per data row, plus one per Convert row. Columns: source_row, account (NULL), the
--        ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format.
WITH parsed AS (
    SELECT
        r.source_row,
        r.id,
        r.timestamp,
        r.transaction_type,
        r.asset,
        r.quantity_transacted,
        r.notes,
        kt_time(r.timestamp, $time_format, 0) AS time_utc,
        lower(trim(coalesce(r.transaction_type, ''))) AS type_text,
        kt_dec(r.quantity_transacted) AS quantity_value,
        upper(trim(r.asset)) AS asset_text,
        regexp_extract(coalesce(r.notes, ''), '^Converted ([0-9.,]+) (\S+) to ([0-9.,]+) (\S+)',
                       ['sold', 'sold_asset', 'got', 'got_asset']) AS conversion,
        nullif(regexp_extract(coalesce(r.notes, ''), '^Sent .* to (\S+)$', 1), '') AS sent_to
    FROM raw AS r
),
classified AS (
    SELECT
        p.*,
        CASE
            WHEN p.type_text IN ('buy', 'sell', 'advanced trade buy', 'advanced trade sell', 'convert') THEN 'trade'
            WHEN p.type_text IN ('send', 'withdrawal', 'pro deposit', 'exchange deposit') THEN 'withdrawal'
            WHEN p.type_text IN ('receive', 'deposit', 'pro withdrawal', 'exchange withdrawal') THEN 'deposit'
            WHEN contains(p.type_text, 'reward') OR contains(p.type_text, 'earn') OR contains(p.type_text, 'income')
                 OR contains(p.type_text, 'interest') THEN 'reward'
            ELSE 'other'
        END AS kind,
        CASE
            WHEN p.type_text IN ('sell', 'advanced trade sell', 'send', 'withdrawal', 'convert', 'pro deposit',
                                 'exchange deposit') THEN -abs(p.quantity_value)
            WHEN p.type_text IN ('buy', 'advanced trade buy', 'receive', 'deposit', 'pro withdrawal',
                                 'exchange withdrawal') THEN abs(p.quantity_value)
            ELSE p.quantity_value
        END AS amount
    FROM parsed AS p
),
legs AS (
    SELECT c.source_row, c.id, c.timestamp, c.time_utc, c.transaction_type, c.type_text, c.kind, c.asset_text,
           c.amount, c.quantity_transacted, c.notes, c.sent_to
    FROM classified AS c
    UNION ALL
    SELECT c.source_row, c.id, c.timestamp, c.time_utc, c.transaction_type, c.type_text, 'trade',
           upper(c.conversion.got_asset), kt_dec(c.conversion.got), c.conversion.got, c.notes, NULL
    FROM classified AS c
    WHERE c.type_text = 'convert' AND c.conversion.got <> ''
)
SELECT
    l.source_row,
    CAST(NULL AS VARCHAR) AS account,
    l.time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    l.kind,
    trim(l.transaction_type) AS operation,
    l.asset_text AS asset,
    l.amount,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    l.sent_to AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    l.notes AS remark,
    trim(l.id) AS ref_id,
    CASE
        WHEN l.type_text = '' THEN 'Transaction Type'
        WHEN l.time_utc IS NULL THEN 'Timestamp'
        WHEN l.asset_text IS NULL OR l.asset_text = '' THEN 'Asset'
        WHEN l.amount IS NULL THEN 'Quantity Transacted'
    END AS _bad_column,
    CASE
        WHEN l.type_text = '' THEN 'the transaction type is missing'
        WHEN l.time_utc IS NULL AND l.timestamp IS NULL THEN 'the time is missing'
        WHEN l.time_utc IS NULL THEN 'the time ' || kt_quoted(l.timestamp) || ' is not of the form 2024-03-13 09:41:27 UTC or 2021-02-08T07:51:33Z'
        WHEN l.asset_text IS NULL OR l.asset_text = '' THEN 'the asset is missing'
        WHEN l.amount IS NULL THEN 'the quantity ' || kt_quoted(l.quantity_transacted) || ' is not a number'
    END AS _bad_reason
FROM legs AS l
