-- okx_statement_2019: OKEx statement of 2019 (time,type,size,balance,fee,currency) as canonical ledger
-- movements. Times end in "CST": China Standard Time (Asia/Shanghai, UTC+8), converted to UTC.
-- Grain: one row per data row (one leg of a trade: buy in the bought asset, sell in the paid one).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format (times without CST are read as UTC).
WITH parsed AS (
    SELECT
        r.source_row,
        r.time,
        r.type,
        r.size,
        r.fee,
        r.currency,
        CASE
            WHEN regexp_matches(trim(r.time), '\sCST$')
                THEN timezone('Asia/Shanghai', try_strptime(regexp_replace(trim(r.time), '\s+CST$', ''),
                                                            '%Y-%m-%d %H:%M:%S'))
            ELSE kt_time(r.time, $time_format, 0)
        END AS time_utc,
        kt_dec(r.size) AS size_value,
        kt_dec(r.fee) AS fee_value,
        lower(trim(r.type)) AS type_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(p.time_utc AS TIMESTAMPTZ) AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    CASE WHEN p.type_text IN ('buy', 'sell') THEN 'trade' WHEN p.type_text = 'deposit' THEN 'deposit'
         WHEN p.type_text = 'withdrawal' THEN 'withdrawal' ELSE 'other' END AS kind,
    trim(p.type) AS operation,
    upper(trim(p.currency)) AS asset,
    CASE WHEN p.type_text IN ('sell', 'withdrawal') THEN -abs(p.size_value) ELSE p.size_value END AS amount,
    abs(p.fee_value) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CAST(NULL AS VARCHAR) AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'time'
        WHEN p.type_text IS NULL THEN 'type'
        WHEN p.size_value IS NULL THEN 'size'
        WHEN p.currency IS NULL THEN 'currency'
        WHEN kt_bad(p.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not of the form 2019-06-15 20:00:00 CST'
        WHEN p.type_text IS NULL THEN 'the type is missing'
        WHEN p.size_value IS NULL THEN 'the size ' || kt_quoted(p.size) || ' is not a number'
        WHEN p.currency IS NULL THEN 'the currency is missing'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
