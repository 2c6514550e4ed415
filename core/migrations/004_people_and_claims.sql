-- 004_people_and_claims: users, sessions, victims' claims and their workflow.
-- Personal data (names, e-mail, phone, free-text statements, notes) is stored only as AES-GCM
-- ciphertext (BLOB, see core/crypto.py); *_index columns are keyed HMACs for exact lookups.

CREATE SEQUENCE user_seq START 1;
CREATE TABLE users (
    id              BIGINT PRIMARY KEY DEFAULT nextval('user_seq'),
    username        VARCHAR NOT NULL UNIQUE,  -- chosen login name (not an e-mail address)
    role            VARCHAR NOT NULL,         -- victim | investigator | legal | admin
    password_hash   VARCHAR NOT NULL,         -- argon2id
    name_enc        BLOB,
    email_enc       BLOB,
    email_index     VARCHAR,
    created_at      TIMESTAMPTZ NOT NULL,
    disabled        BOOLEAN NOT NULL DEFAULT false,
    failed_logins   INTEGER NOT NULL DEFAULT 0,
    locked_until    TIMESTAMPTZ
);

CREATE TABLE sessions (
    token_hash      VARCHAR PRIMARY KEY,      -- sha256 of the session token; the token is never stored
    user_id         BIGINT NOT NULL,
    created_at      TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    revoked         BOOLEAN NOT NULL DEFAULT false
);

CREATE SEQUENCE claim_seq START 1;
CREATE TABLE claims (
    id              BIGINT PRIMARY KEY DEFAULT nextval('claim_seq'),
    user_id         BIGINT NOT NULL,
    case_id         VARCHAR,
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,         -- exchange UID as the claimant states it
    key_fingerprint VARCHAR,                  -- sha256(exchange:api_key); the key itself is never kept
    contact_name_enc  BLOB,
    contact_email_enc BLOB,
    contact_phone_enc BLOB,
    statement_enc   BLOB,
    claimed_loss_usd DECIMAL(38,2),
    status          VARCHAR NOT NULL,         -- submitted | in_review | verified | rejected | referred | closed
    assigned_to     BIGINT,
    created_at      TIMESTAMPTZ NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL
);

CREATE SEQUENCE claim_status_seq START 1;
CREATE TABLE claim_status_history (
    id              BIGINT PRIMARY KEY DEFAULT nextval('claim_status_seq'),
    claim_id        BIGINT NOT NULL,
    at_utc              TIMESTAMPTZ NOT NULL,
    actor_user_id   BIGINT,
    status          VARCHAR NOT NULL,
    reason_enc      BLOB                      -- shown to the victim (e.g. a rejection reason)
);

CREATE SEQUENCE claim_note_seq START 1;
CREATE TABLE claim_notes (                    -- internal: never shown to victims
    id              BIGINT PRIMARY KEY DEFAULT nextval('claim_note_seq'),
    claim_id        BIGINT NOT NULL,
    at_utc              TIMESTAMPTZ NOT NULL,
    author_user_id  BIGINT NOT NULL,
    note_enc        BLOB NOT NULL
);

CREATE SEQUENCE claim_dispute_seq START 1;
CREATE TABLE claim_disputes (
    id              BIGINT PRIMARY KEY DEFAULT nextval('claim_dispute_seq'),
    claim_id        BIGINT NOT NULL,
    at_utc              TIMESTAMPTZ NOT NULL,
    text_enc        BLOB NOT NULL
);

CREATE TABLE claim_evidence (
    claim_id        BIGINT NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    attached_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (claim_id, evidence_sha256)
);

-- Wallet ownership challenges (EIP-191 personal_sign). A nonce works once.
CREATE TABLE wallet_challenges (
    nonce           VARCHAR PRIMARY KEY,
    claim_id        BIGINT NOT NULL,
    address         VARCHAR NOT NULL,         -- lower-case 0x-hex
    message         VARCHAR NOT NULL,
    issued_at       TIMESTAMPTZ NOT NULL,
    expires_at      TIMESTAMPTZ NOT NULL,
    used_at         TIMESTAMPTZ
);

CREATE TABLE wallet_proofs (
    claim_id        BIGINT NOT NULL,
    address         VARCHAR NOT NULL,
    nonce           VARCHAR NOT NULL,
    signature       VARCHAR NOT NULL,
    verified_at     TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (claim_id, address)
);
