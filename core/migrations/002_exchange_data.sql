-- 002_exchange_data: canonical shapes of what exchanges export, one table per kind.
-- Amounts are DECIMAL(38,18): exact, 20 integer digits. Times are TIMESTAMPTZ (UTC).
-- Provenance columns on every row: evidence_sha256, source_row (1-based data row in the file,
-- header excluded), ingest_run_id. `occurrence` numbers identical rows within one account so that
-- several identical fills in one second stay distinct and re-ingesting an overlapping export adds
-- only the rows whose (natural key, occurrence) is new.

-- Accounts under investigation: an ingested export puts its account here.
CREATE TABLE accounts (
    exchange        VARCHAR NOT NULL,         -- lower-case: binance, kucoin, ftx, coinbase, kraken, okx
    account         VARCHAR NOT NULL,         -- exchange UID, or the label given with --account
    first_seen_run  VARCHAR NOT NULL,
    PRIMARY KEY (exchange, account)
);

CREATE TABLE trades (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    pair            VARCHAR NOT NULL,         -- BASE/QUOTE upper case
    base_asset      VARCHAR NOT NULL,
    quote_asset     VARCHAR NOT NULL,
    side            VARCHAR NOT NULL,         -- buy | sell
    price           DECIMAL(38,18) NOT NULL,
    quantity        DECIMAL(38,18) NOT NULL,  -- in base asset
    quote_quantity  DECIMAL(38,18) NOT NULL,  -- in quote asset
    fee             DECIMAL(38,18),           -- negative is a rebate
    fee_asset       VARCHAR,
    order_id        VARCHAR,
    trade_id        VARCHAR,
    counter_order_id VARCHAR,                 -- KuCoin counterOrderId
    channel         VARCHAR,                  -- api | web | app | NULL when the export does not say
    liquidity       VARCHAR,                  -- maker | taker
    occurrence      INTEGER NOT NULL,         -- 1..n among identical rows of one account
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL,
    format          VARCHAR NOT NULL
);

CREATE TABLE orders (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    order_id        VARCHAR,
    created_utc     TIMESTAMPTZ NOT NULL,
    updated_utc     TIMESTAMPTZ,
    pair            VARCHAR NOT NULL,
    side            VARCHAR NOT NULL,
    order_type      VARCHAR,
    order_price     DECIMAL(38,18),
    order_quantity  DECIMAL(38,18),
    filled_quantity DECIMAL(38,18),
    filled_quote    DECIMAL(38,18),
    avg_price       DECIMAL(38,18),
    avg_price_text  VARCHAR,                  -- as exported (KuCoin gives 20 decimals)
    fee             DECIMAL(38,18),
    fee_asset       VARCHAR,
    status          VARCHAR,
    channel         VARCHAR,
    tags            VARCHAR,
    occurrence      INTEGER NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL,
    format          VARCHAR NOT NULL
);

-- Every balance change: statement rows, deposits, withdrawals, fees, ledger entries.
CREATE TABLE ledger_movements (
    exchange        VARCHAR NOT NULL,
    account         VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    wallet          VARCHAR,                  -- Spot, Funding, mainAccount, ...
    kind            VARCHAR NOT NULL,         -- deposit | withdrawal | trade | fee | transfer | reward | other
    operation       VARCHAR NOT NULL,         -- as exported (e.g. "Transaction Buy")
    asset           VARCHAR NOT NULL,
    amount          DECIMAL(38,18) NOT NULL,  -- signed: + into the account, - out of it
    fee             DECIMAL(38,18),
    status          VARCHAR,
    address         VARCHAR,
    tx_hash         VARCHAR,
    network         VARCHAR,
    remark          VARCHAR,
    ref_id          VARCHAR,                  -- links legs of one trade (Kraken refid, Coinbase trade id)
    occurrence      INTEGER NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL,
    format          VARCHAR NOT NULL
);

-- Reference price candles (another venue's, or the same venue's public klines).
CREATE TABLE price_bars (
    source          VARCHAR NOT NULL,         -- binance, kucoin, ...
    pair            VARCHAR NOT NULL,         -- BASE/QUOTE
    interval        VARCHAR NOT NULL,         -- 1m, 1h, 1d, ...
    open_time       TIMESTAMPTZ NOT NULL,
    open            DECIMAL(38,18) NOT NULL,
    high            DECIMAL(38,18) NOT NULL,
    low             DECIMAL(38,18) NOT NULL,
    close           DECIMAL(38,18) NOT NULL,
    volume          DECIMAL(38,18) NOT NULL,  -- base asset
    quote_volume    DECIMAL(38,18),
    trade_count     BIGINT,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL,
    PRIMARY KEY (source, pair, interval, open_time)
);

-- Leaked-key dumps: the dump's hash, never the dump. Fingerprint = sha256(lower(exchange) || ':' || api_key).
CREATE TABLE leaks (
    leak_id         VARCHAR PRIMARY KEY,      -- sha256 of the dump file
    source          VARCHAR NOT NULL,
    leak_date       DATE,
    imported_at     TIMESTAMPTZ NOT NULL,
    key_count       BIGINT NOT NULL
);

CREATE TABLE leaked_keys (
    fingerprint     VARCHAR NOT NULL,
    exchange        VARCHAR NOT NULL,
    leak_id         VARCHAR NOT NULL REFERENCES leaks(leak_id),
    source_row      BIGINT NOT NULL,
    PRIMARY KEY (fingerprint, leak_id)
);

-- API keys known for an account (from apiRestrictions records or claims), fingerprints only.
CREATE TABLE api_keys (
    fingerprint     VARCHAR NOT NULL,
    exchange        VARCHAR NOT NULL,
    account         VARCHAR,
    created_utc     TIMESTAMPTZ,
    permissions     VARCHAR,                  -- JSON of the permission flags
    ip_restricted   BOOLEAN,
    evidence_sha256 VARCHAR,
    PRIMARY KEY (fingerprint, exchange)
);

-- The user's bot platform log (3Commas deals' market orders): trades it explains are legitimate.
CREATE TABLE bot_orders (
    platform        VARCHAR NOT NULL,         -- 3commas
    exchange        VARCHAR,
    account         VARCHAR,                  -- exchange account, when mapped
    platform_account_id VARCHAR,
    deal_id         VARCHAR NOT NULL,
    bot_id          VARCHAR,
    order_id        VARCHAR,
    time_utc        TIMESTAMPTZ NOT NULL,
    pair            VARCHAR NOT NULL,         -- BASE/QUOTE (3Commas writes QUOTE_BASE; flipped on ingest)
    side            VARCHAR NOT NULL,
    quantity        DECIMAL(38,18),
    price           DECIMAL(38,18),
    occurrence      INTEGER NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    ingest_run_id   VARCHAR NOT NULL
);

-- Rows refused by validation when --skip-bad-rows was given: the investigator can read them.
CREATE TABLE ingest_rejects (
    ingest_run_id   VARCHAR NOT NULL,
    evidence_sha256 VARCHAR NOT NULL,
    source_row      BIGINT NOT NULL,
    column_name     VARCHAR,
    reason          VARCHAR NOT NULL,
    raw_line        VARCHAR
);
