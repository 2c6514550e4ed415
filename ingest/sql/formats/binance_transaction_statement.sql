-- binance_transaction_statement: Binance "Transaction History" statement
-- (User_ID,UTC_Time,Account,Operation,Coin,Change,Remark; older files lack User_ID) as ledger movements.
-- Grain: one row per data row (one balance change). The legs of one trade come unpaired under one
-- UTC_Time: ref_id = 'UTC_Time|Account' groups them (kind trade or fee).
-- Columns: source_row, account (User_ID or NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes, $time_header.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.utc_time, $time_format, $offset_minutes) AS t,
        kt_blank(r.operation) AS op,
        lower(kt_blank(r.operation)) AS op_l,
        upper(kt_blank(r.coin)) AS coin_text,
        kt_dec(r.change) AS change_value
    FROM raw AS r
),
classified AS (
    SELECT
        p.*,
        CASE
            WHEN p.op_l IN ('deposit', 'fiat deposit', 'crypto deposit') THEN 'deposit'
            WHEN p.op_l IN ('withdraw', 'withdrawal', 'fiat withdraw', 'fiat withdrawal', 'crypto withdrawal') THEN 'withdrawal'
            WHEN p.op_l IN ('fee', 'transaction fee', 'funding fee', 'commission fee shared with you') THEN 'fee'
            WHEN p.op_l IN ('buy', 'sell', 'transaction related', 'transaction buy', 'transaction spend',
                            'transaction sold', 'transaction revenue', 'binance convert', 'large otc trading',
                            'buy crypto', 'small assets exchange bnb', 'etf subscription', 'etf redemption')
                OR p.op_l LIKE 'small assets exchange%' THEN 'trade'
            WHEN p.op_l LIKE 'transfer%' OR p.op_l LIKE '%subscription%' OR p.op_l LIKE '%redemption%'
                OR p.op_l LIKE '%purchase%' OR p.op_l = 'eth 2.0 staking' OR p.op_l LIKE '%transfer%'
                THEN 'transfer'
            WHEN p.op_l LIKE '%reward%' OR p.op_l LIKE '%interest%' OR p.op_l LIKE '%distribution%'
                OR p.op_l LIKE '%airdrop%' OR p.op_l LIKE '%rebate%' OR p.op_l LIKE '%commission%'
                OR p.op_l LIKE '%cashback%' THEN 'reward'
            ELSE 'other'
        END AS kind_text
    FROM parsed AS p
)
SELECT
    c.source_row,
    kt_blank(c.user_id) AS account,
    c.t AS time_utc,
    kt_blank(c.account) AS wallet,
    c.kind_text AS kind,
    c.op AS operation,
    c.coin_text AS asset,
    c.change_value AS amount,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    kt_blank(c.remark) AS remark,
    CASE WHEN c.kind_text IN ('trade', 'fee') THEN trim(c.utc_time) || '|' || coalesce(trim(c.account), '') END AS ref_id,
    CASE
        WHEN c.t IS NULL THEN $time_header
        WHEN c.op IS NULL THEN 'Operation'
        WHEN c.coin_text IS NULL THEN 'Coin'
        WHEN c.change_value IS NULL THEN 'Change'
    END AS _bad_column,
    CASE
        WHEN c.t IS NULL AND c.utc_time IS NULL THEN 'the time is missing'
        WHEN c.t IS NULL THEN 'the time ' || kt_quoted(c.utc_time) || ' is not a date and time of the form 2020-10-28 22:03:03'
        WHEN c.op IS NULL THEN 'the operation is missing'
        WHEN c.coin_text IS NULL THEN 'the coin is missing'
        WHEN c.change IS NULL THEN 'the change is missing'
        WHEN c.change_value IS NULL THEN 'the change ' || kt_quoted(c.change) || ' is not a number'
    END AS _bad_reason
FROM classified AS c
