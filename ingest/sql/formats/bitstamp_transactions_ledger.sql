-- bitstamp_transactions_ledger: Bitstamp transactions export as canonical ledger movements: a deposit or
-- withdrawal is one movement (a withdrawal's fee beside it), a Market or Limit trade is its two legs (the
-- base asset, the quote asset) and a fee movement.
-- Grain: one row per deposit or withdrawal row; three per trade row (two when it has no fee).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format (for re-saved files read with --dayfirst).
WITH parsed AS (
    SELECT
        r.source_row,
        r.type,
        r.datetime,
        r.account AS sub_account,
        r.amount,
        r.value,
        r.fee,
        r.sub_type,
        lower(trim(coalesce(r.type, ''))) AS type_text,
        lower(trim(coalesce(r.sub_type, ''))) AS side_text,
        CAST(coalesce(
            try_strptime(regexp_replace(trim(r.datetime), '^([A-Za-z]{3})[A-Za-z]*\.?', '\1'), '%b %d, %Y, %I:%M %p'),
            kt_time(r.datetime, $time_format, 0)) AS TIMESTAMPTZ) AS time_utc,
        kt_dec(split_part(trim(r.amount), ' ', 1)) AS amount_value,
        nullif(upper(split_part(trim(r.amount), ' ', 2)), '') AS amount_asset,
        kt_dec(split_part(trim(r.value), ' ', 1)) AS value_value,
        nullif(upper(split_part(trim(r.value), ' ', 2)), '') AS value_asset,
        kt_dec(split_part(trim(r.fee), ' ', 1)) AS fee_value,
        nullif(upper(split_part(trim(r.fee), ' ', 2)), '') AS fee_asset
    FROM raw AS r
),
legs AS (
    SELECT p.*, p.amount_asset AS leg_asset,
           CASE WHEN p.type_text = 'withdrawal' OR (p.type_text IN ('market', 'limit') AND p.side_text = 'sell')
                THEN -p.amount_value ELSE p.amount_value END AS leg_amount,
           CASE WHEN p.type_text IN ('deposit', 'withdrawal') THEN p.type_text ELSE 'trade' END AS leg_kind,
           CASE WHEN p.type_text = 'withdrawal' AND p.fee_asset = p.amount_asset THEN p.fee_value END AS leg_fee
    FROM parsed AS p
    UNION ALL
    SELECT p.*, p.value_asset, CASE WHEN p.side_text = 'sell' THEN p.value_value ELSE -p.value_value END,
           'trade', NULL
    FROM parsed AS p
    WHERE p.type_text IN ('market', 'limit')
    UNION ALL
    SELECT p.*, p.fee_asset, -p.fee_value, 'fee', NULL
    FROM parsed AS p
    WHERE p.type_text IN ('market', 'limit') AND coalesce(p.fee_value, 0) <> 0
)
SELECT
    l.source_row,
    CAST(NULL AS VARCHAR) AS account,
    l.time_utc,
    trim(l.sub_account) AS wallet,
    l.leg_kind AS kind,
    trim(l.type) || CASE WHEN l.side_text <> '' THEN ' ' || trim(l.sub_type) ELSE '' END AS operation,
    l.leg_asset AS asset,
    l.leg_amount AS amount,
    l.leg_fee AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CAST(NULL AS VARCHAR) AS remark,
    CAST(NULL AS VARCHAR) AS ref_id,
    CASE
        WHEN l.type_text = '' THEN 'Type'
        WHEN l.time_utc IS NULL THEN 'Datetime'
        WHEN l.leg_asset IS NULL OR l.leg_amount IS NULL THEN CASE WHEN l.leg_kind = 'fee' THEN 'Fee' ELSE 'Amount' END
        WHEN l.type_text IN ('market', 'limit') AND l.side_text NOT IN ('buy', 'sell') THEN 'Sub Type'
    END AS _bad_column,
    CASE
        WHEN l.type_text = '' THEN 'the type is missing'
        WHEN l.time_utc IS NULL AND l.datetime IS NULL THEN 'the time is missing'
        WHEN l.time_utc IS NULL THEN 'the time ' || kt_quoted(l.datetime) || ' is not a date like "Jan. 28, 2022, 12:13 AM"'
        WHEN l.leg_asset IS NULL OR l.leg_amount IS NULL THEN 'the amount is not a number followed by an asset'
        WHEN l.type_text IN ('market', 'limit') AND l.side_text NOT IN ('buy', 'sell') THEN 'the sub type ' || kt_quoted(l.sub_type) || ' is neither Buy nor Sell'
    END AS _bad_reason
FROM legs AS l
