-- binance_deposit_withdrawal: Binance deposit or withdrawal history, v1
-- (Date(UTC)|Date,Coin[,Network],Amount,TransactionFee,Address,TXID,SourceAddress,PaymentID,Status) and v2
-- (Date(UTC+0),Coin,Network,Amount[,Fee],Address,TXID,Status; two-digit years) as ledger movements.
-- Grain: one row per data row (one deposit or withdrawal).
-- Columns: source_row, account (NULL: no UID), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes, $time_header, $direction ('deposit' or 'withdrawal': from the
--         file name in v1, from the header in v2).
WITH parsed AS (
    SELECT
        r.*,
        kt_time(r.date, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.coin)) AS coin_text,
        kt_dec(r.amount) AS amount_value,
        kt_dec(coalesce(r.transactionfee, r.fee)) AS fee_value,
        coalesce(r.transactionfee, r.fee) AS fee_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.t AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    $direction AS kind,
    CASE WHEN $direction = 'deposit' THEN 'Deposit' ELSE 'Withdraw' END AS operation,
    p.coin_text AS asset,
    CASE WHEN $direction = 'deposit' THEN abs(p.amount_value) ELSE -abs(p.amount_value) END AS amount,
    p.fee_value AS fee,
    kt_blank(p.status) AS status,
    kt_blank(p.address) AS address,
    kt_blank(p.txid) AS tx_hash,
    kt_blank(p.network) AS network,
    nullif(concat_ws('; ', 'source address ' || kt_blank(p.sourceaddress), 'payment id ' || kt_blank(p.paymentid)), '') AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN p.t IS NULL THEN $time_header
        WHEN p.coin_text IS NULL THEN 'Coin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.fee_text IS NOT NULL AND p.fee_value IS NULL THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.date) || ' is not a date and time of the form 21-12-25 00:51:45 or 2021-12-25 00:51:45'
        WHEN p.coin_text IS NULL THEN 'the coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.fee_text IS NOT NULL AND p.fee_value IS NULL THEN 'the fee ' || kt_quoted(p.fee_text) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
