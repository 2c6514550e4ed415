-- binance_eth2_staking: Binance ETH 2.0 Staking history (Date(UTC),Coin,Token,Amount,Status) as canonical
-- ledger movements: each successful staking is two balance changes, Amount of Coin out (ETH) and the same
-- Amount of Token in (BETH, which Binance credits 1:1), kind transfer and operation "ETH 2.0 Staking", as
-- the Transaction History statement records the same staking. It is not stored as a trade: there is no
-- market and no price (the ratio is 1 by construction), and a fill at price 1 would read as trading.
-- Grain: two rows per data row whose Status is Success (a failed staking moved nothing and is left out).
-- The two legs share ref_id = 'Date(UTC)|ETH 2.0 Staking'.
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the header's zone: Date(UTC)).
WITH kept AS (
    SELECT
        r.source_row,
        r.date,
        r.coin,
        r.token,
        r.amount,
        r.status,
        kt_time(r.date, $time_format, $offset_minutes) AS t,
        upper(kt_blank(r.coin)) AS coin_text,
        upper(kt_blank(r.token)) AS token_text,
        kt_dec(r.amount) AS amount_value
    FROM raw AS r
    WHERE lower(trim(coalesce(r.status, ''))) NOT IN ('failed', 'fail', 'cancelled', 'canceled')
),
legs AS (
    SELECT k.*, k.coin_text AS leg_asset, -k.amount_value AS leg_amount, 'out' AS leg FROM kept AS k
    UNION ALL
    SELECT k.*, k.token_text AS leg_asset, k.amount_value AS leg_amount, 'in' AS leg FROM kept AS k
)
SELECT
    l.source_row,
    CAST(NULL AS VARCHAR) AS account,
    l.t AS time_utc,
    CAST(NULL AS VARCHAR) AS wallet,
    'transfer' AS kind,
    'ETH 2.0 Staking' AS operation,
    l.leg_asset AS asset,
    l.leg_amount AS amount,
    CAST(NULL AS DECIMAL(38, 18)) AS fee,
    kt_blank(l.status) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    CAST(NULL AS VARCHAR) AS remark,
    trim(l.date) || '|ETH 2.0 Staking' AS ref_id,
    CASE
        WHEN lower(trim(coalesce(l.status, ''))) <> 'success' THEN 'Status'
        WHEN l.t IS NULL THEN 'Date(UTC)'
        WHEN l.coin_text IS DISTINCT FROM 'ETH' THEN 'Coin'
        WHEN l.token_text IS DISTINCT FROM 'BETH' THEN 'Token'
        WHEN l.amount_value IS NULL OR l.amount_value <= 0 THEN 'Amount'
    END AS _bad_column,
    CASE
        WHEN lower(trim(coalesce(l.status, ''))) <> 'success'
            THEN 'the status ' || kt_quoted(l.status) || ' is neither Success nor Failed, so whether the staking happened is unknown'
        WHEN l.t IS NULL AND kt_blank(l.date) IS NULL THEN 'the time is missing'
        WHEN l.t IS NULL THEN 'the time ' || kt_quoted(l.date) || ' is not a date and time of the form 2021-03-01 12:00:00'
        WHEN l.coin_text IS DISTINCT FROM 'ETH' THEN 'the coin ' || kt_quoted(l.coin) || ' is not ETH, the only coin ETH 2.0 staking takes'
        WHEN l.token_text IS DISTINCT FROM 'BETH'
            THEN 'the token ' || kt_quoted(l.token) || ' is not BETH: the file gives one amount, which is what was received only for BETH (credited 1:1)'
        WHEN l.amount_value IS NULL THEN 'the amount ' || kt_quoted(l.amount) || ' is not a number'
        WHEN l.amount_value <= 0 THEN 'the amount ' || kt_quoted(l.amount) || ' is not positive'
    END AS _bad_reason
FROM legs AS l
