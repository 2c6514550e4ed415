-- ftx_deposits: FTX deposit history (web: ,Time,Coin,Amount,Status,Additional info,Transaction ID[,];
-- API: id,time,coin,size,status[,additionalInfo],txid[,_delete]) as canonical ledger movements.
-- Grain: one row per data row (one deposit, whatever its status; amounts are positive).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format (naive or --dayfirst times, read as UTC).
WITH parsed AS (
    SELECT
        r.source_row,
        coalesce(r.extra_1, r.id) AS id_text,
        r.time,
        r.coin,
        coalesce(r.amount, r.size) AS amount_text,
        r.status,
        coalesce(r.additional_info, r.additionalinfo) AS info,
        coalesce(r.transaction_id, r.txid) AS txid_text,
        coalesce(try_strptime(trim(r.time), ['%Y-%m-%dT%H:%M:%S.%f%z', '%Y-%m-%dT%H:%M:%S%z']),
                 kt_time(r.time, $time_format, 0)) AS time_utc,
        kt_dec(coalesce(r.amount, r.size)) AS amount_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    CAST(p.time_utc AS TIMESTAMPTZ) AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    'deposit' AS kind,
    'Deposit' AS operation,
    upper(trim(p.coin)) AS asset,
    abs(p.amount_value) AS amount,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    lower(trim(p.status)) AS status,
    CAST(NULL AS VARCHAR) AS address,
    trim(p.txid_text) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    p.info AS remark,
    trim(p.id_text) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Time'
        WHEN p.coin IS NULL THEN 'Coin'
        WHEN p.amount_value IS NULL THEN 'Amount'
        WHEN p.status IS NULL THEN 'Status'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not an ISO 8601 time with an offset like 2022-10-19T08:02:44.318722+00:00'
        WHEN p.coin IS NULL THEN 'the coin is missing'
        WHEN p.amount_value IS NULL THEN 'the amount ' || kt_quoted(p.amount_text) || ' is not a number'
        WHEN p.status IS NULL THEN 'the status is missing'
    END AS _bad_reason
FROM parsed AS p
