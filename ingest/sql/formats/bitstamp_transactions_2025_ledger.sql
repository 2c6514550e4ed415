-- bitstamp_transactions_2025_ledger: Bitstamp transactions export, 2025 layout (see
-- bitstamp_transactions_2025.sql) as canonical ledger movements: a deposit or withdrawal is one movement
-- (a withdrawal's fee beside it), a Market or Limit trade is its two legs (the Amount currency, the Value
-- currency) and a fee movement; any other type (Sub Account Transfer, Staking reward, ...) is one movement
-- of its Amount as written, of kind 'other'.
-- Grain: one row per non-trade row; three per trade row (two when it has no fee).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format.
WITH parsed AS (
    SELECT
        r.*,
        lower(trim(coalesce(r.type, ''))) AS type_text,
        lower(trim(coalesce(r.subtype, ''))) AS side_text,
        kt_time(r.datetime, $time_format, 0) AS time_utc,
        kt_dec(r.amount) AS amount_value,
        upper(kt_blank(r.amount_currency)) AS amount_asset,
        kt_dec(r.value) AS value_value,
        upper(kt_blank(r.value_currency)) AS value_asset,
        kt_dec(r.fee) AS fee_value,
        upper(kt_blank(r.fee_currency)) AS fee_asset
    FROM raw AS r
),
legs AS (
    SELECT p.*, p.amount_asset AS leg_asset,
           CASE WHEN p.type_text = 'withdrawal' OR (p.type_text IN ('market', 'limit') AND p.side_text = 'sell')
                THEN -abs(p.amount_value) ELSE p.amount_value END AS leg_amount,
           CASE WHEN p.type_text IN ('deposit', 'withdrawal') THEN p.type_text
                WHEN p.type_text IN ('market', 'limit') THEN 'trade' ELSE 'other' END AS leg_kind,
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
    trim(l.account) AS wallet,
    l.leg_kind AS kind,
    trim(l.type) || CASE WHEN l.side_text <> '' THEN ' ' || trim(l.subtype) ELSE '' END AS operation,
    l.leg_asset AS asset,
    l.leg_amount AS amount,
    l.leg_fee AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CASE WHEN kt_blank(l.order_id) IS NOT NULL THEN 'order ' || trim(l.order_id) END AS remark,
    kt_blank(l.id) AS ref_id,
    CASE
        WHEN l.type_text = '' THEN 'Type'
        WHEN l.time_utc IS NULL THEN 'Datetime'
        WHEN l.leg_amount IS NULL THEN CASE l.leg_kind WHEN 'fee' THEN 'Fee' ELSE 'Amount' END
        WHEN l.leg_asset IS NULL THEN CASE l.leg_kind WHEN 'fee' THEN 'Fee currency' ELSE 'Amount currency' END
        WHEN l.type_text IN ('market', 'limit') AND l.side_text NOT IN ('buy', 'sell') THEN 'Subtype'
    END AS _bad_column,
    CASE
        WHEN l.type_text = '' THEN 'the type is missing'
        WHEN l.time_utc IS NULL AND l.datetime IS NULL THEN 'the time is missing'
        WHEN l.time_utc IS NULL THEN 'the time ' || kt_quoted(l.datetime) || ' is not an ISO 8601 time like 2025-02-03T09:30:05Z'
        WHEN l.leg_amount IS NULL THEN 'the amount is not a number'
        WHEN l.leg_asset IS NULL THEN 'the currency is missing'
        WHEN l.type_text IN ('market', 'limit') AND l.side_text NOT IN ('buy', 'sell') THEN 'the subtype ' || kt_quoted(l.subtype) || ' is neither Buy nor Sell'
    END AS _bad_reason
FROM legs AS l
