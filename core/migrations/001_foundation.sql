-- 001_foundation: evidence store index, custody log, audit trail, ingest runs.
-- Every later table points back here: a stored fact names its evidence file (sha256),
-- its source row and the ingest run that put it there.

CREATE TABLE evidence_files (
    sha256          VARCHAR PRIMARY KEY,      -- SHA-256 of the plaintext content, lower-case hex
    original_name   VARCHAR NOT NULL,         -- base name only, sanitised (no directories)
    size_bytes      BIGINT NOT NULL,
    media_type      VARCHAR NOT NULL,
    kind            VARCHAR NOT NULL,         -- exchange_export, leak_dump_digest, price_file, rpc_capture, claim_upload, report, ...
    submitted_by    VARCHAR NOT NULL,
    submitted_at    TIMESTAMPTZ NOT NULL,
    case_id         VARCHAR,
    claim_id        BIGINT,
    stored          BOOLEAN NOT NULL          -- false when only the hash is kept (leak dumps)
);

-- Each later submission of an already stored file (same content, other name, claim or person).
CREATE SEQUENCE evidence_submission_seq START 1;
CREATE TABLE evidence_submissions (
    id              BIGINT PRIMARY KEY DEFAULT nextval('evidence_submission_seq'),
    sha256          VARCHAR NOT NULL REFERENCES evidence_files(sha256),
    original_name   VARCHAR NOT NULL,
    submitted_by    VARCHAR NOT NULL,
    submitted_at    TIMESTAMPTZ NOT NULL,
    case_id         VARCHAR,
    claim_id        BIGINT
);

CREATE SEQUENCE custody_seq START 1;
CREATE TABLE custody_log (
    id              BIGINT PRIMARY KEY DEFAULT nextval('custody_seq'),
    sha256          VARCHAR NOT NULL,
    at_utc              TIMESTAMPTZ NOT NULL,
    actor           VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,         -- stored, read, exported, verified, tamper_detected, ...
    details         VARCHAR                   -- JSON
);

-- Hash-chained, append-only. entry_hash = sha256(prev_hash || canonical JSON of the entry).
-- Never put personal data or secrets in details: the audit trail is plaintext by design.
CREATE TABLE audit_log (
    seq             BIGINT PRIMARY KEY,
    at_utc              TIMESTAMPTZ NOT NULL,
    actor           VARCHAR NOT NULL,
    action          VARCHAR NOT NULL,
    object          VARCHAR NOT NULL,
    details         VARCHAR NOT NULL,         -- canonical JSON
    prev_hash       VARCHAR NOT NULL,
    entry_hash      VARCHAR NOT NULL,
    entry_mac       VARCHAR NOT NULL          -- HMAC of entry_hash under the audit key: forging needs the key
);

CREATE TABLE ingest_runs (
    run_id          VARCHAR PRIMARY KEY,      -- uuid4
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ,
    actor           VARCHAR NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_name     VARCHAR NOT NULL,
    format          VARCHAR NOT NULL,         -- e.g. binance_trade_history
    exchange        VARCHAR,
    account         VARCHAR,
    rows_read       BIGINT NOT NULL DEFAULT 0,
    rows_added      BIGINT NOT NULL DEFAULT 0,
    rows_rejected   BIGINT NOT NULL DEFAULT 0,
    status          VARCHAR NOT NULL          -- committed, no_change
);
