-- kucoin_account_history: KuCoin account history (ledger)
-- (UID,Account Type,Currency,Side,Amount,Fee,Time(UTC+hh:mm),Remark[,Type]) as ledger movements.
-- Side Deposit/In/Credit adds to the account, Withdrawal/Out/Debit takes from it.
-- Grain: one row per data row. Zone from the header; none = Asia/Singapore.
-- Columns: source_row, account (UID), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.time, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.currency)) AS coin_text,
        kt_dec(r.amount) AS amount_value,
        lower(trim(r.side)) AS side_text,
        lower(coalesce(kt_blank(r.type), kt_blank(r.remark), '')) AS what
    FROM raw AS r
)
SELECT
    p.source_row,
    CASE WHEN contains(p.uid, '*') THEN NULL ELSE kt_blank(p.uid) END AS account,  -- a masked UID (*****3866) names no account
    p.t AS time_utc,
    kt_blank(p.account_type) AS wallet,
    CASE
        WHEN p.what LIKE '%deposit%' THEN 'deposit'
        WHEN p.what LIKE '%withdraw%' THEN 'withdrawal'
        WHEN p.what LIKE '%fee%' THEN 'fee'
        WHEN p.what LIKE '%trad%' OR p.what LIKE '%exchange%' OR p.what LIKE '%convert%' THEN 'trade'
        WHEN p.what LIKE '%transfer%' THEN 'transfer'
        WHEN p.what LIKE '%reward%' OR p.what LIKE '%bonus%' OR p.what LIKE '%interest%'
            OR p.what LIKE '%airdrop%' OR p.what LIKE '%earn%' THEN 'reward'
        ELSE 'other'
    END AS kind,
    coalesce(kt_blank(p.type), kt_blank(p.remark), kt_blank(p.side)) AS operation,
    p.coin_text AS asset,
    CASE WHEN p.side_text IN ('withdrawal', 'out', 'debit') THEN -abs(p.amount_value) ELSE abs(p.amount_value) END AS amount,
    kt_dec(p.fee) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    kt_blank(p.remark) AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN p.uid IS NULL THEN 'UID'
        WHEN p.t IS NULL THEN 'Time'
        WHEN p.coin_text IS NULL THEN 'Currency'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('deposit', 'withdrawal', 'in', 'out', 'credit', 'debit') THEN 'Side'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.uid IS NULL THEN 'the UID is missing'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2024-01-31 14:54:26'
        WHEN p.coin_text IS NULL THEN 'the currency is missing'
        WHEN p.side_text IS NULL OR p.side_text NOT IN ('deposit', 'withdrawal', 'in', 'out', 'credit', 'debit') THEN 'the side ' || kt_quoted(p.side) || ' is neither Deposit nor Withdrawal'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
