-- ftx_withdrawals: FTX withdrawal history (web: [,]Time,Coin,Amount,Destination,Status,Transaction ID,fee[,];
-- API: time,coin,size,address,status,txid,fee,id) as canonical ledger movements.
-- Grain: one row per data row (one withdrawal, whatever its status; amounts are negative, the fee apart).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format (naive or --dayfirst times, read as UTC).
WITH parsed AS (
    SELECT
        r.source_row,
        coalesce(r.extra_1, r.id) AS id_text,
        r.time,
        r.coin,
        coalesce(r.amount, r.size) AS amount_text,
        coalesce(r.destination, r.address) AS destination_text,
        r.status,
        coalesce(r.transaction_id, r.txid) AS txid_text,
        r.fee,
        coalesce(try_strptime(trim(r.time), ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z']),
                 kt_time(r.time, $time_format, 0)) AS time_utc,
        kt_dec(coalesce(r.amount, r.size)) AS amount_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(p.time_utc AS TIMESTAMPTZ) AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    'withdrawal' AS kind,
    'Withdrawal' AS operation,
    upper(trim(p.coin)) AS asset,
    -abs(p.amount_value) AS amount,
    p.fee_value AS fee,
    lower(trim(p.status)) AS status,
    trim(p.destination_text) AS address,
    trim(p.txid_text) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CAST(NULL AS VARCHAR) AS remark,
    trim(p.id_text) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Time'
        WHEN p.coin IS NULL THEN 'Coin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.status IS NULL THEN 'Status'
        WHEN kt_bad(p.fee) THEN 'fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not an ISO 8601 time with an offset like 2022-10-21T01:22:19.004511+00:00'
        WHEN p.coin IS NULL THEN 'the coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount_text) || ' is not a number'
        WHEN p.status IS NULL THEN 'the status is missing'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
