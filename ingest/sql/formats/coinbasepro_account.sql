-- coinbasepro_account: Coinbase Pro account statement (Portfolio,Type,Timestamp,Amount,Balance,Amount/balance
-- unit,Transfer id,Trade id,Order id) as canonical ledger movements.
-- Grain: one row per data row (a deposit, withdrawal, one leg of a match, or a fee).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format.
WITH parsed AS (
    SELECT
        r.source_row,
        r.portfolio,
        r.type,
        coalesce(r.timestamp, r.time) AS time_text,
        r.amount,
        r.amount_balance_unit,
        r.transfer_id,
        r.trade_id,
        r.order_id,
        kt_time(coalesce(r.timestamp, r.time), $time_format, 0) AS time_utc,
        lower(trim(r.type)) AS type_text,
        kt_dec(r.amount) AS amount_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    trim(p.portfolio) AS wallet,
    CASE p.type_text
        WHEN 'deposit' THEN 'deposit'
        WHEN 'withdrawal' THEN 'withdrawal'
        WHEN 'match' THEN 'trade'
        WHEN 'fee' THEN 'fee'
        WHEN 'conversion' THEN 'trade'
        WHEN 'rebate' THEN 'reward'
        ELSE 'other'
    END AS kind,
    trim(p.type) AS operation,
    upper(trim(p.amount_balance_unit)) AS asset,
    p.amount_value AS amount,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CASE WHEN p.order_id IS NOT NULL THEN 'order ' || trim(p.order_id) END AS remark,
    coalesce(trim(p.trade_id), trim(p.transfer_id)) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Timestamp'
        WHEN p.type_text IS NULL THEN 'Type'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.amount_balance_unit IS NULL THEN 'Amount/balance unit'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time_text IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time_text) || ' is not an ISO 8601 time like 2018-03-15T10:42:31.215Z'
        WHEN p.type_text IS NULL THEN 'the type is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.amount_balance_unit IS NULL THEN 'the unit is missing'
    END AS _bad_reason
FROM parsed AS p
