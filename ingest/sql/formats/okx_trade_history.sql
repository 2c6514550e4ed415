-- okx_trade_history: OKX trading history 2023+ (id,Order id,Time,Trade Type,Symbol,Action,Amount,Trading Unit,
-- Filled Price,[Filled Price Unit,]PnL,Fee,Fee Unit,Position Change,Position Balance,[Position Unit,]
-- Balance Change,Balance,Balance Unit[,...-USD]) as trades.
-- Grain: one row per spot or margin fill. OKX writes a fill as two rows of one Order id: the leg in the
-- base asset of Symbol (its Action is the fill's side, its Amount the quantity) and the leg in the quote
-- asset (Amount = the quote amount); each row has its own id. The legs of one order, time and filled price
-- are paired in id order (the base leg's id is the lower one in every sample); a leg left without a partner
-- is refused. The fee is the one leg that carries one (negative in the file, kept as its absolute value).
-- Rows that are not Buy/Sell fills (transfers, swaps, funding fees) are left to the companion
-- okx_trade_history_ledger, which stores every row as a balance change. Fields may carry a BOM each.
-- Columns: source_row (the base leg's, else the unpaired leg's), account (UID of the preamble line, else
--          NULL), the trades columns, _bad_column, _bad_reason.
-- Params: $time_format, $offset_minutes (the preamble's Time Zone, else UTC), $okx_uid.
WITH cleaned AS (
    SELECT
        r.source_row,
        kt_blank(replace(r.id, chr(65279), '')) AS id,
        kt_blank(replace(r.order_id, chr(65279), '')) AS order_id,
        kt_blank(replace(r.time, chr(65279), '')) AS time,
        kt_blank(replace(r.trade_type, chr(65279), '')) AS trade_type,
        kt_blank(replace(r.symbol, chr(65279), '')) AS symbol,
        kt_blank(replace(r.action, chr(65279), '')) AS action,
        kt_blank(replace(r.amount, chr(65279), '')) AS amount,
        kt_blank(replace(r.filled_price, chr(65279), '')) AS filled_price,
        kt_blank(replace(r.fee, chr(65279), '')) AS fee,
        kt_blank(replace(r.fee_unit, chr(65279), '')) AS fee_unit,
        kt_blank(replace(r.balance_unit, chr(65279), '')) AS balance_unit
    FROM raw AS r
),
legs AS (
    SELECT
        c.*,
        upper(split_part(c.symbol, '-', 1)) AS base,
        upper(split_part(c.symbol, '-', 2)) AS quote,
        upper(c.balance_unit) AS unit,
        CASE WHEN upper(c.balance_unit) = upper(split_part(c.symbol, '-', 1)) THEN 'base'
             WHEN upper(c.balance_unit) = upper(split_part(c.symbol, '-', 2)) THEN 'quote' END AS leg
    FROM cleaned AS c
    WHERE lower(c.trade_type) IN ('spot', 'margin') AND lower(c.action) IN ('buy', 'sell')
),
ranked AS (
    SELECT
        l.*,
        row_number() OVER (PARTITION BY l.order_id, l.time, l.filled_price, l.leg
                           ORDER BY try_cast(l.id AS HUGEINT), l.source_row) AS k
    FROM legs AS l
),
paired AS (
    SELECT
        b.source_row AS b_row, q.source_row AS q_row, o.source_row AS o_row,
        b.id, b.order_id, b.time, b.symbol, b.base, b.quote, b.action, b.amount, b.filled_price,
        b.fee AS b_fee, b.fee_unit AS b_fee_unit, q.action AS q_action, q.amount AS q_amount,
        q.fee AS q_fee, q.fee_unit AS q_fee_unit, o.balance_unit AS o_unit,
        kt_time(coalesce(b.time, q.time), $time_format, $offset_minutes) AS t,
        abs(kt_dec(b.amount)) AS quantity_value,
        abs(kt_dec(q.amount)) AS quote_value,
        kt_dec(b.filled_price) AS price_value,
        abs(kt_dec(b.fee)) AS b_fee_value,
        abs(kt_dec(q.fee)) AS q_fee_value
    FROM (SELECT * FROM ranked WHERE leg = 'base') AS b
    FULL OUTER JOIN (SELECT * FROM ranked WHERE leg = 'quote') AS q
        ON q.order_id IS NOT DISTINCT FROM b.order_id AND q.time IS NOT DISTINCT FROM b.time
       AND q.filled_price IS NOT DISTINCT FROM b.filled_price AND q.k = b.k
    FULL OUTER JOIN (SELECT * FROM ranked WHERE leg IS NULL) AS o ON FALSE
)
SELECT
    coalesce(p.b_row, p.q_row, p.o_row) AS source_row,
    CAST($okx_uid AS VARCHAR) AS account,
    p.t AS time_utc,
    nullif(p.base, '') AS base_asset,
    nullif(p.quote, '') AS quote_asset,
    lower(p.action) AS side,
    p.price_value AS price,
    p.quantity_value AS quantity,
    p.quote_value AS quote_quantity,
    CASE WHEN p.q_fee_value <> 0 THEN p.q_fee_value ELSE p.b_fee_value END AS fee,
    CASE WHEN p.q_fee_value <> 0 THEN upper(coalesce(p.q_fee_unit, p.quote))
         ELSE upper(coalesce(p.b_fee_unit, p.base)) END AS fee_asset,
    p.order_id,
    p.id AS trade_id,
    CAST(NULL AS VARCHAR) AS counter_order_id,
    CAST(NULL AS VARCHAR) AS channel,
    CAST(NULL AS VARCHAR) AS liquidity,
    CASE
        WHEN p.o_row IS NOT NULL THEN 'Balance Unit'
        WHEN p.b_row IS NULL OR p.q_row IS NULL THEN 'id'
        WHEN p.t IS NULL THEN 'Time'
        WHEN p.price_value IS NULL THEN 'Filled Price'
        WHEN p.quantity_value IS NULL THEN 'Amount'
        WHEN p.quote_value IS NULL THEN 'Amount'
        WHEN lower(p.q_action) = lower(p.action) THEN 'Action'
        WHEN kt_bad(p.b_fee) OR kt_bad(p.q_fee) THEN 'Fee'
        WHEN p.b_fee_value <> 0 AND p.q_fee_value <> 0 THEN 'Fee'
    END AS _bad_column,
    CASE
        WHEN p.o_row IS NOT NULL THEN 'the balance unit ' || kt_quoted(p.o_unit) || ' is neither asset of the symbol'
        WHEN p.b_row IS NULL THEN 'this ' || kt_quoted(p.quote) || ' leg of order ' || coalesce(p.order_id, '?')
                                  || ' has no matching leg in the base asset (was the export cut?)'
        WHEN p.q_row IS NULL THEN 'this ' || kt_quoted(p.base) || ' leg of order ' || coalesce(p.order_id, '?')
                                  || ' has no matching leg in the quote asset (was the export cut?)'
        WHEN p.t IS NULL THEN 'the time ' || kt_quoted(p.time) || ' is not a date and time of the form 2025-10-20 10:44:26'
        WHEN p.price_value IS NULL THEN 'the filled price ' || kt_quoted(p.filled_price) || ' is not a number'
        WHEN p.quantity_value IS NULL THEN 'the amount ' || kt_quoted(p.amount) || ' is not a number'
        WHEN p.quote_value IS NULL THEN 'the quote leg''s amount ' || kt_quoted(p.q_amount) || ' is not a number'
        WHEN lower(p.q_action) = lower(p.action) THEN 'both legs of the fill are ' || kt_quoted(p.action)
        WHEN kt_bad(p.b_fee) THEN 'the fee ' || kt_quoted(p.b_fee) || ' is not a number'
        WHEN kt_bad(p.q_fee) THEN 'the quote leg''s fee ' || kt_quoted(p.q_fee) || ' is not a number'
        WHEN p.b_fee_value <> 0 AND p.q_fee_value <> 0 THEN 'both legs of the fill carry a fee'
    END AS _bad_reason
FROM paired AS p
