-- kraken_ledgers: Kraken ledger export (txid,refid,time,type,subtype,aclass,[subclass,]asset,[wallet,]amount,
-- fee,balance[,amountusd]) as canonical ledger movements.
-- Grain: one row per data row that is a movement (one balance change; the two legs of a trade share
-- refid). A row with an empty txid and an empty balance is Kraken's pending duplicate of a completed row,
-- not a movement: it is left out. Kraken's `amount` is the movement before its fee: the file's own
-- balance must equal the previous balance of the asset (and wallet) + amount - fee; a row where it does
-- not is refused, naming the balance column and both figures (the first row of an asset sets it).
-- Columns: source_row, account (NULL), the ledger_movements columns, _bad_column, _bad_reason.
-- Params: $time_format, $kraken_legacy_codes (X/Z asset codes).
WITH parsed AS (
    SELECT
        r.source_row,
        r.txid,
        r.refid,
        r.time,
        r.type,
        r.subtype,
        r.asset,
        r.wallet,
        r.amount,
        r.fee,
        r.balance,
        kt_dec(r.balance) AS balance_value,
        upper(trim(r.asset)) AS code,
        kt_time(r.time, $time_format, 0) AS time_utc,
        lower(trim(r.type)) AS type_text,
        kt_dec(r.amount) AS amount_value,
        kt_dec(r.fee) AS fee_value
    FROM raw AS r
    WHERE NOT (kt_blank(r.txid) IS NULL AND kt_blank(r.balance) IS NULL)
),
named AS (
    SELECT
        p.*,
        CASE WHEN list_contains($kraken_legacy_codes, p.code) THEN substr(p.code, 2) ELSE p.code END AS plain,
        lag(p.balance_value) OVER (PARTITION BY p.code, coalesce(trim(p.wallet), '')
                                   ORDER BY p.time_utc, p.source_row) AS previous_balance
    FROM parsed AS p
)
SELECT
    n.source_row,
    CAST(NULL AS VARCHAR) AS account,
    n.time_utc,
    coalesce(trim(n.wallet), 'spot') AS wallet,
    CASE
        WHEN n.type_text = 'deposit' THEN 'deposit'
        WHEN n.type_text = 'withdrawal' THEN 'withdrawal'
        WHEN n.type_text IN ('trade', 'spend', 'receive', 'margin', 'rollover', 'settled') THEN 'trade'
        WHEN n.type_text = 'transfer' THEN 'transfer'
        WHEN n.type_text IN ('staking', 'reward', 'earn', 'dividend') THEN 'reward'
        ELSE 'other'
    END AS kind,
    trim(n.type) || CASE WHEN nullif(trim(n.subtype), '') IS NOT NULL THEN ' ' || trim(n.subtype) ELSE '' END
        AS operation,
    CASE n.plain WHEN 'XBT' THEN 'BTC' WHEN 'XDG' THEN 'DOGE' ELSE n.plain END AS asset,
    n.amount_value AS amount,
    n.fee_value AS fee,
    CAST(NULL AS VARCHAR) AS status,
    CAST(NULL AS VARCHAR) AS address,
    CAST(NULL AS VARCHAR) AS tx_hash,
    CAST(NULL AS VARCHAR) AS network,
    trim(n.txid) AS remark,
    trim(n.refid) AS ref_id,
    CASE
        WHEN n.time_utc IS NULL THEN 'time'
        WHEN n.code IS NULL OR n.code = '' THEN 'asset'
        WHEN n.type_text IS NULL THEN 'type'
        WHEN n.amount_value IS NULL THEN 'amount'
        WHEN kt_bad(n.fee) THEN 'fee'
        WHEN kt_bad(n.balance) THEN 'balance'
        WHEN n.previous_balance + n.amount_value - coalesce(n.fee_value, 0) <> n.balance_value THEN 'balance'
    END AS _bad_column,
    CASE
        WHEN n.time_utc IS NULL AND n.time IS NULL THEN 'the time is missing'
        WHEN n.time_utc IS NULL THEN 'the time ' || kt_quoted(n.time) || ' is not a date and time of the form 2021-07-23 11:22:54.9881'
        WHEN n.code IS NULL OR n.code = '' THEN 'the asset is missing'
        WHEN n.type_text IS NULL THEN 'the type is missing'
        WHEN n.amount_value IS NULL THEN 'the amount ' || kt_quoted(n.amount) || ' is not a number'
        WHEN kt_bad(n.fee) THEN 'the fee ' || kt_quoted(n.fee) || ' is not a number'
        WHEN kt_bad(n.balance) THEN 'the balance ' || kt_quoted(n.balance) || ' is not a number'
        WHEN n.previous_balance + n.amount_value - coalesce(n.fee_value, 0) <> n.balance_value
            THEN 'the balance ' || kt_plain(n.balance_value) || ' does not follow from the previous balance '
                 || kt_plain(n.previous_balance) || ' + amount ' || kt_plain(n.amount_value) || ' - fee '
                 || kt_plain(coalesce(n.fee_value, 0)) || ' = '
                 || kt_plain(n.previous_balance + n.amount_value - coalesce(n.fee_value, 0))
                 || ' (a row missing or edited before it?)'
    END AS _bad_reason
FROM named AS n
