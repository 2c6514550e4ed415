-- kucoin_deposit_withdrawal: KuCoin deposit or withdrawal history
-- (UID,Account Type,Time(UTC+hh:mm),Coin,Amount,Fee[,Hash][,Deposit Address|Withdrawal Address/Account],
--  Transfer Network,Status,Remarks) as ledger movements; a withdrawal's amount is stored negative.
-- Grain: one row per data row. Zone from the header; none = Asia/Singapore.
-- Columns: source_row, account (UID), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes, $direction ('deposit' | 'withdrawal').
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.time, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.coin)) AS coin_text,
        kt_dec(r.amount) AS amount_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CASE WHEN contains(p.uid, '*') THEN NULL ELSE kt_blank(p.uid) END AS account,  -- a masked UID (*****3866) names no account
    p.t AS time_utc,
    kt_blank(p.account_type) AS wallet,
    $direction AS kind,
    CASE WHEN $direction = 'deposit' THEN 'Deposit' ELSE 'Withdrawal' END AS operation,
    p.coin_text AS asset,
    CASE WHEN $direction = 'deposit' THEN abs(p.amount_value) ELSE -abs(p.amount_value) END AS amount,
    p.fee_value AS fee,
    kt_blank(p.status) AS status,
    kt_blank(coalesce(p.deposit_address, p.withdrawal_address_account)) AS address,
    kt_blank(p.hash) AS tx_hash,
    kt_blank(p.transfer_network) AS network,
    kt_blank(p.remarks) AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN p.uid IS NULL THEN 'UID'
        WHEN p.t IS NULL THEN 'Time'
        WHEN p.coin_text IS NULL THEN 'Coin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.uid IS NULL THEN 'the UID is missing'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2024-01-31 14:54:26'
        WHEN p.coin_text IS NULL THEN 'the coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
