-- 008_findings: what `keytrace detect`, the ownership checks and `keytrace trace` conclude.
-- Every detection table is recomputed from the canonical tables by `keytrace detect` (delete + insert
-- in one transaction), so running it twice gives the same rows. A trade is identified by its
-- provenance (evidence_sha256, source_row), which also points the investigator at the evidence row.

CREATE TABLE detection_runs (
    run_id          VARCHAR PRIMARY KEY,
    started_at      TIMESTAMPTZ NOT NULL,
    finished_at     TIMESTAMPTZ NOT NULL,
    settings_json   VARCHAR NOT NULL,         -- the thresholds used
    trades_scored   BIGINT NOT NULL,
    unauthorized    BIGINT NOT NULL,
    campaigns       BIGINT NOT NULL
);

-- Keys of investigated accounts whose fingerprint appears in an imported leak.
CREATE TABLE compromised_keys (
    fingerprint     VARCHAR NOT NULL,
    exchange        VARCHAR NOT NULL,
    account         VARCHAR,                  -- NULL when no account is known for the key
    leak_id         VARCHAR NOT NULL,
    leak_source     VARCHAR NOT NULL,
    leak_date       DATE,
    key_created_utc TIMESTAMPTZ,
    permissions     VARCHAR,
    ip_restricted   BOOLEAN,
    linked_by       VARCHAR NOT NULL          -- api_keys | claim | leak (leak row only)
);

-- One row per trade in the database: its features, score and reason codes.
CREATE TABLE trade_scores (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    pair            VARCHAR NOT NULL,
    side            VARCHAR NOT NULL,
    price           DECIMAL(38,18) NOT NULL,
    reference_price DECIMAL(38,18),           -- median close over the 24 h before the trade's hour
    deviation       DECIMAL(38,6),            -- price / reference_price - 1
    pair_adv_usd    DECIMAL(38,2),            -- average daily quote volume in USD over the 7 days before
    session_id      BIGINT NOT NULL,          -- the account's run of trades with gaps under the session gap
    attack_session  BOOLEAN NOT NULL,
    bot_explained   BOOLEAN NOT NULL,
    score           INTEGER NOT NULL,
    reasons         VARCHAR NOT NULL,         -- semicolon-separated reason codes
    unauthorized    BOOLEAN NOT NULL
);

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
    PRIMARY KEY (evidence_sha256, source_row)
);

CREATE TABLE campaigns (
    campaign_id     VARCHAR PRIMARY KEY,
    pair            VARCHAR NOT NULL,         -- the thin pair pumped through the victims' accounts
    start_utc       TIMESTAMPTZ NOT NULL,
    end_utc         TIMESTAMPTZ NOT NULL,
    accounts        BIGINT NOT NULL,
    trades          BIGINT NOT NULL,
    loss_usd        DECIMAL(38,8)
);

CREATE TABLE campaign_accounts (
    campaign_id     VARCHAR NOT NULL,
    pair            VARCHAR NOT NULL,         -- the pair this session pumped most
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    session_id      BIGINT NOT NULL,
    first_utc       TIMESTAMPTZ NOT NULL,
    last_utc        TIMESTAMPTZ NOT NULL,
    trades          BIGINT NOT NULL,
    loss_usd        DECIMAL(38,8)
);

CREATE TABLE account_losses (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    first_unauthorized_utc TIMESTAMPTZ NOT NULL,
    last_unauthorized_utc  TIMESTAMPTZ NOT NULL,
    unauthorized_trades BIGINT NOT NULL,
    net_value_change_usd DECIMAL(38,8),       -- signed sum of trade losses (negative: the account gained)
    loss_usd        DECIMAL(38,8),            -- max(0, net_value_change_usd)
    unpriced_trades BIGINT NOT NULL,          -- unauthorised trades without a fair price
    compromised_key BOOLEAN NOT NULL,
    PRIMARY KEY (exchange, account)
);

-- Graded ownership evidence per claim (after GraphSense's confidence scale), recomputed on demand.
CREATE TABLE ownership_evidence (
    claim_id        BIGINT NOT NULL,
    level           INTEGER NOT NULL,         -- 0-100
    reason          VARCHAR NOT NULL,
    evaluated_at    TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (claim_id, reason)
);

-- Tracing results: one run, its flow graph and its cash-out points.
CREATE TABLE trace_runs (
    trace_id        VARCHAR PRIMARY KEY,
    created_at      TIMESTAMPTZ NOT NULL,
    model           VARCHAR NOT NULL,         -- poison | haircut | fifo
    direction       VARCHAR NOT NULL,         -- forward | backward
    hops            INTEGER NOT NULL,
    seeds           VARCHAR NOT NULL,         -- JSON list of seed addresses
    edges           BIGINT NOT NULL,
    cash_out_points BIGINT NOT NULL
);

-- Amounts are raw token units (integers); haircut shares are rounded down to 6 decimals of a unit,
-- so that the sum leaving an address never exceeds what entered it (checked by an audit).
CREATE TABLE trace_edges (
    trace_id        VARCHAR NOT NULL,
    hop             INTEGER NOT NULL,         -- 1 = leaves a seed
    chain_id        BIGINT NOT NULL,
    tx_hash         VARCHAR NOT NULL,
    log_index       BIGINT,
    trace_address   VARCHAR,
    token           VARCHAR NOT NULL,
    from_address    VARCHAR NOT NULL,
    to_address      VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    block_number    BIGINT NOT NULL,
    value           VARCHAR NOT NULL,         -- exact raw amount of the transfer
    tainted         DECIMAL(38,6) NOT NULL,
    origin_is_seed  BOOLEAN NOT NULL          -- the side taint came from (from_address forward, to_address backward) is a seed
);

CREATE TABLE trace_cash_out_points (
    trace_id        VARCHAR NOT NULL,
    address         VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    category        VARCHAR NOT NULL,
    token           VARCHAR NOT NULL,
    tainted_amount  DECIMAL(38,6) NOT NULL,
    first_utc       TIMESTAMPTZ NOT NULL,
    last_utc        TIMESTAMPTZ NOT NULL,
    path_count      BIGINT NOT NULL
);
