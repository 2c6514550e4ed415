-- okx_trade_history_ledger: every row of an OKX trading history 2023+ (see okx_trade_history.sql) as a
-- balance change of its Balance Unit: the fills' legs, transfers in and out, swap and margin rows.
-- Grain: one row per data row. Fields may carry a BOM each.
-- Columns: source_row, account (UID of the preamble line, else NULL), the ledger_movements columns,
--          _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the preamble's Time Zone, else UTC), $okx_uid.
WITH parsed AS (
    SELECT
        r.source_row,
        kt_blank(replace(r.id, chr(65279), '')) AS id,
        kt_blank(replace(r.order_id, chr(65279), '')) AS order_id,
        kt_blank(replace(r.time, chr(65279), '')) AS time,
        kt_blank(replace(r.trade_type, chr(65279), '')) AS trade_type,
        kt_blank(replace(r.symbol, chr(65279), '')) AS symbol,
        kt_blank(replace(r.action, chr(65279), '')) AS action,
        kt_blank(replace(r.fee, chr(65279), '')) AS fee,
        kt_blank(replace(r.balance_change, chr(65279), '')) AS balance_change,
        kt_blank(replace(r.balance_unit, chr(65279), '')) AS balance_unit,
        kt_time(replace(r.time, chr(65279), ''), $time_format, $offset_minutes) AS time_utc,
        kt_dec(replace(r.balance_change, chr(65279), '')) AS change_value,
        kt_dec(replace(r.fee, chr(65279), '')) AS fee_value
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST($okx_uid AS VARCHAR) AS account,
    p.time_utc,
    'trading' AS wallet,
    CASE
        WHEN lower(p.trade_type) = 'transfer' THEN 'transfer'
        WHEN lower(p.trade_type) IN ('spot', 'margin', 'futures', 'perpetual', 'swap', 'option') THEN 'trade'
        ELSE 'other'
    END AS kind,
    p.trade_type || ' ' || coalesce(p.action, '') AS operation,
    upper(p.balance_unit) AS asset,
    p.change_value AS amount,
    abs(p.fee_value) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    trim(coalesce(p.symbol, '') || CASE WHEN nullif(p.order_id, '0') IS NOT NULL
                                        THEN ' order ' || p.order_id ELSE '' END) AS remark,
    p.id AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Time'
        WHEN p.trade_type IS NULL THEN 'Trade Type'
        WHEN p.change_value IS NULL THEN 'Balance Change'
        WHEN p.balance_unit IS NULL THEN 'Balance Unit'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2025-10-20 10:44:26'
        WHEN p.trade_type IS NULL THEN 'the trade type is missing'
        WHEN p.change_value IS NULL THEN 'the balance change ' || kt_quoted(p.balance_change) || ' is not a number'
        WHEN p.balance_unit IS NULL THEN 'the balance unit is missing'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
