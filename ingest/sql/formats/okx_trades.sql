-- okx_trades: OKX trading-account bills (id,Order id,Time,Trade Type,Instrument,Type,Amount,Unit,PL,Fee,
-- Position Change,Position Balance,Balance Change,Balance,Unit) as canonical ledger movements.
-- Grain: one row per data row (one leg of a fill, a transfer, ...). Raw columns: `unit` is the traded
-- amount's unit, `unit_2` the balance's. `amount` is the leg before its fee (Balance Change + Fee), as
-- in every ledger format (balance = previous + amount - fee).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format.
WITH parsed AS (
    SELECT
        r.source_row,
        r.id,
        r.order_id,
        r.time,
        r.trade_type,
        r.instrument,
        r.type,
        r.fee,
        r.balance_change,
        coalesce(r.unit_2, r.unit) AS balance_unit,
        kt_time(r.time, $time_format, 0) AS time_utc,
        kt_dec(r.balance_change) AS change_value,
        kt_dec(r.fee) AS fee_value,
        lower(trim(r.trade_type)) AS trade_type_text
    FROM raw AS r
)
SELECT
    p.source_row,
    CAST(NULL AS VARCHAR) AS account,
    p.time_utc,
    'trading' AS wallet,
    CASE
        WHEN p.trade_type_text IN ('spot', 'margin', 'futures', 'perpetual', 'swap', 'option') THEN 'trade'
        WHEN p.trade_type_text = 'transfer' THEN 'transfer'
        ELSE 'other'
    END AS kind,
    trim(p.trade_type) || ' ' || coalesce(trim(p.type), '') AS operation,
    upper(trim(p.balance_unit)) AS asset,
    p.change_value + coalesce(abs(p.fee_value), 0) AS amount,  -- before the fee: balance change = amount - fee
    abs(p.fee_value) AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    trim(coalesce(p.instrument, '') || CASE WHEN nullif(trim(p.order_id), '0') IS NOT NULL
                                            THEN ' order ' || trim(p.order_id) ELSE '' END) AS remark,
    trim(p.id) AS ref_id,
    CASE
        WHEN p.time_utc IS NULL THEN 'Time'
        WHEN p.trade_type_text IS NULL THEN 'Trade Type'
        WHEN p.change_value IS NULL THEN 'Balance Change'
        WHEN p.balance_unit IS NULL THEN 'Unit'
        WHEN kt_bad(p.fee) THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.time_utc IS NULL AND p.time IS NULL THEN 'the time is missing'
        WHEN p.time_utc IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2022-11-28 13:05:41'
        WHEN p.trade_type_text IS NULL THEN 'the trade type is missing'
        WHEN p.change_value IS NULL THEN 'the balance change ' || kt_quoted(p.balance_change) || ' is not a number'
        WHEN p.balance_unit IS NULL THEN 'the balance unit is missing'
        WHEN kt_bad(p.fee) THEN 'the fee ' || kt_quoted(p.fee) || ' is not a number'
    END AS _bad_reason
FROM parsed AS p
