-- kucoin_transfers_legacy: KuCoin's older deposit and withdrawal lists
-- (Time,Coin,Network,Amount,Type,Remark,Fee and Time,Coin,Network,Amount,Type,Wallet Address/Account,Remark)
-- as ledger movements. Type says Deposit or Withdrawal; a withdrawal is stored negative.
-- Grain: one row per data row. Times carry no zone: Asia/Singapore (UTC+8).
-- Columns: source_row, account (NULL: no UID), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes.
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.time, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.coin)) AS coin_text,
        kt_dec(r.amount) AS amount_value,
        lower(trim(r.type)) AS type_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    CASE WHEN p.type_text LIKE 'deposit%' THEN 'deposit' ELSE 'withdrawal' END AS kind,
    kt_blank(p.type) AS operation,
    p.coin_text AS asset,
    CASE WHEN p.type_text LIKE 'deposit%' THEN abs(p.amount_value) ELSE -abs(p.amount_value) END AS amount,
    kt_dec(p.fee) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    kt_blank(p.wallet_address_account) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    kt_blank(p.network) AS network,
    kt_blank(p.remark) AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN p.t IS NULL THEN 'Time'
        WHEN p.coin_text IS NULL THEN 'Coin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.type_text IS NULL OR (p.type_text NOT LIKE 'deposit%' AND p.type_text NOT LIKE 'withdraw%') THEN 'Type'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2019-05-11 10:27:17'
        WHEN p.coin_text IS NULL THEN 'the coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.type_text IS NULL OR (p.type_text NOT LIKE 'deposit%' AND p.type_text NOT LIKE 'withdraw%') THEN 'the type ' || kt_quoted(p.type) || ' is neither Deposit nor Withdrawal'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
