-- 013_claim_uploads_and_exclusions: uploads a claim holds for review, and accounts detection leaves out.
--
-- An execution's identity is its account and its primary evidence row: one export without a UID can
-- be evidence of two accounts (filed under each), so unauthorized_trades is keyed by
-- (exchange, account, evidence_sha256, source_row). Findings are recomputed by `keytrace detect`, so
-- the table is rebuilt with its rows.
CREATE TABLE unauthorized_trades_013 AS SELECT * FROM unauthorized_trades;
DROP TABLE unauthorized_trades;
CREATE TABLE unauthorized_trades (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    pair            VARCHAR NOT NULL,
    side            VARCHAR NOT NULL,
    price           DECIMAL(38,18) NOT NULL,
    quantity        DECIMAL(38,18) NOT NULL,
    quote_quantity  DECIMAL(38,18) NOT NULL,
    fee             DECIMAL(38,18),
    fee_asset       VARCHAR,
    score           INTEGER NOT NULL,
    reasons         VARCHAR NOT NULL,
    session_id      BIGINT NOT NULL,
    campaign_id     VARCHAR,
    anchor_utc      TIMESTAMPTZ NOT NULL,     -- the account's first unauthorised trade in this campaign
    fair_price      DECIMAL(38,18),           -- median close of the pair over the 24 h before anchor_utc
    quote_usd       DECIMAL(38,18),           -- USD per unit of the quote asset over the same 24 h
    given_usd       DECIMAL(38,8),
    received_usd    DECIMAL(38,8),
    fee_usd         DECIMAL(38,8),
    loss_usd        DECIMAL(38,8),            -- given_usd - received_usd + fee_usd (NULL: no fair price)
    PRIMARY KEY (exchange, account, evidence_sha256, source_row)
);
INSERT INTO unauthorized_trades SELECT * FROM unauthorized_trades_013;
DROP TABLE unauthorized_trades_013;

-- The accounts the last detection run left out, and why (one sentence each): their evidence is in
-- dispute (an export without a UID filed under two accounts), so scoring them would count one set of
-- trades twice; every other account is scored. Recomputed with the findings.
CREATE TABLE detection_exclusions (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    reason          VARCHAR NOT NULL,
    evidence_sha256 VARCHAR,                  -- the disputed file, when one is the cause
    PRIMARY KEY (exchange, account)
);

-- A claim's upload is accepted (its rows are the account's evidence), quarantined (held for review:
-- kept encrypted and hashed in the evidence store, its rows stored nowhere), rejected by staff, or
-- withdrawn by the claimant (kept in custody; the rows it had added are removed).
ALTER TABLE claim_evidence ADD COLUMN state VARCHAR DEFAULT 'accepted';
ALTER TABLE claim_evidence ADD COLUMN signals_json VARCHAR;      -- [{"signal": ..., "detail": ...}] of the screen
ALTER TABLE claim_evidence ADD COLUMN original_name VARCHAR;     -- the name this claimant gave the file
ALTER TABLE claim_evidence ADD COLUMN ingest_run_id VARCHAR;     -- the run that stored its rows (accepted)
ALTER TABLE claim_evidence ADD COLUMN rows_read BIGINT;
ALTER TABLE claim_evidence ADD COLUMN rows_added BIGINT;
ALTER TABLE claim_evidence ADD COLUMN rows_known BIGINT;
ALTER TABLE claim_evidence ADD COLUMN decided_by BIGINT;          -- the staff member who accepted or rejected it
ALTER TABLE claim_evidence ADD COLUMN decided_at TIMESTAMPTZ;
ALTER TABLE claim_evidence ADD COLUMN decision_reason_enc BLOB;  -- why staff rejected it (the claimant sees it)
ALTER TABLE claim_evidence ADD COLUMN withdrawn_at TIMESTAMPTZ;
