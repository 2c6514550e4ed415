-- 010_executions: one reconciled execution history per account, whatever evidence recorded it.
-- trades (fills), orders (filled orders) and ledger_movements (statement legs) stay as the evidence
-- rows they were read from; `executions` is derived from them by ingest/reconcile.py (ingest/sql/
-- reconcile/*.sql) for every account an ingest touches, in the ingest's own transaction, and is what
-- detection, losses, claims, reports and exports read. The matching rule and the precedence
-- (fills over orders over ledgers) are written down in docs/reconciliation.md.

-- One row per execution. Its identity is its primary evidence row (evidence_sha256, source_row): the
-- fill, the filled order, or the first leg of the statement group it was derived from.
CREATE TABLE executions (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    pair            VARCHAR NOT NULL,         -- BASE/QUOTE upper case
    base_asset      VARCHAR NOT NULL,
    quote_asset     VARCHAR NOT NULL,
    side            VARCHAR NOT NULL,         -- buy | sell
    price           DECIMAL(38,18) NOT NULL,  -- as exported; derived: quote / base truncated to 18 places
    quantity        DECIMAL(38,18) NOT NULL,  -- base asset
    quote_quantity  DECIMAL(38,18) NOT NULL,  -- quote asset
    fee             DECIMAL(38,18),
    fee_asset       VARCHAR,
    order_id        VARCHAR,
    trade_id        VARCHAR,
    counter_order_id VARCHAR,
    channel         VARCHAR,
    liquidity       VARCHAR,
    derived_from    VARCHAR NOT NULL,         -- fill | order | ledger: the kind of evidence it comes from
    corroborated_by VARCHAR,                  -- other kinds that record it too (e.g. 'ledger', 'order;ledger')
    source_count    INTEGER NOT NULL,         -- evidence rows behind it (execution_sources)
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL,
    format          VARCHAR NOT NULL
);

-- Every evidence row behind an execution: the row it was derived from, its other legs, and the rows of
-- other files or kinds that record the same execution (duplicates, the order that sums its fills, the
-- statement legs of its second).
CREATE TABLE execution_sources (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,         -- the execution's identity
    source_row      BIGINT NOT NULL,
    source_table    VARCHAR NOT NULL,         -- trades | orders | ledger_movements
    src_sha256      VARCHAR NOT NULL,         -- the contributing evidence row
    src_row         BIGINT NOT NULL,
    src_format      VARCHAR NOT NULL,
    role            VARCHAR NOT NULL,         -- primary | leg | fee_leg | duplicate | corroborating
    matched_by      VARCHAR NOT NULL          -- self | trade_id | order_id | ref_id | natural_key | second
);

-- Where two kinds of evidence of one account disagree about the same executions, nothing is merged:
-- the kept side (by precedence) stays the execution and the disagreement is stored here.
CREATE TABLE execution_conflicts (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,     -- the second (or the execution's time) it concerns
    pair            VARCHAR,
    side            VARCHAR,
    conflict        VARCHAR NOT NULL,         -- quantity | quote_quantity | fee | legs_unpaired | price_not_derivable
    kept_from       VARCHAR,                  -- fill | order | ledger: the evidence kept as the executions
    kept_value      VARCHAR,
    other_from      VARCHAR NOT NULL,         -- the evidence that disagrees
    other_value     VARCHAR,
    evidence_sha256 VARCHAR,                  -- the kept execution (first of the second), NULL for unpaired legs
    source_row      BIGINT,
    other_sha256    VARCHAR NOT NULL,
    other_rows      VARCHAR NOT NULL,         -- the disagreeing rows, e.g. '12;13;14'
    detail          VARCHAR NOT NULL          -- one sentence for the investigator
);
