-- okx_funding: OKX funding-account history (id,Time,Type,Amount,Before Balance,After Balance,[Fee,]Symbol;
-- the 2025 export has no Fee column) as canonical ledger movements. Fields may carry a BOM each.
-- Grain: one row per data row. Columns: source_row, account (UID of the preamble line, else NULL), the
--        ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the preamble's Time Zone, else UTC), $okx_uid.
WITH cleaned AS (
    SELECT
        r.source_row,
        kt_blank(replace(r.id, chr(65279), '')) AS id,
        kt_blank(replace(r.time, chr(65279), '')) AS time,
        kt_blank(replace(r.type, chr(65279), '')) AS type,
        kt_blank(replace(r.amount, chr(65279), '')) AS amount,
        kt_blank(replace(r.fee, chr(65279), '')) AS fee,
        kt_blank(replace(r.symbol, chr(65279), '')) AS symbol
    FROM raw AS r
),
parsed AS (
    SELECT
        c.*,
        kt_time(c.time, $time_format, $offset_minutes) AS time_utc,
        kt_dec(c.amount) AS amount_value,
        kt_dec(c.fee) AS fee_value,
        lower(trim(c.type)) AS type_text
    FROM cleaned AS c
)
SELECT
    p.source_row,
    CAST($okx_uid AS VARCHAR) AS account,
    p.time_utc,
    'funding' AS wallet,
    CASE
        WHEN p.type_text = 'deposit' THEN 'deposit'
        WHEN p.type_text = 'withdrawal' THEN 'withdrawal'
        WHEN p.type_text IN ('staking yield', 'fee rebate', 'savings interest', 'airdrop') THEN 'reward'
        WHEN contains(p.type_text, 'unified trading account') OR contains(p.type_text, 'transfer') THEN 'transfer'
        ELSE 'other'
    END AS kind,
    trim(p.type) AS operation,
    upper(trim(p.symbol)) AS asset,
    CASE WHEN p.type_text = 'withdrawal' THEN -abs(p.amount_value) ELSE p.amount_value END AS amount,
    abs(p.fee_value) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CAST(NULL AS VARCHAR) AS remark,
    trim(p.id) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Time'
        WHEN p.type_text IS NULL THEN 'Type'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.symbol IS NULL THEN 'Symbol'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2022-11-27 08:00:00'
        WHEN p.type_text IS NULL THEN 'the type is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.symbol IS NULL THEN 'the symbol is missing'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
