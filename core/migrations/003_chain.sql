-- 003_chain: on-chain blocks and transfers pulled over JSON-RPC or imported from files.
-- uint256 values do not fit DECIMAL(38): `value` is the exact decimal string; `value_u128` holds the
-- same number as UHUGEINT when it fits (NULL otherwise) so that SQL can add and compare.

CREATE TABLE chain_blocks (
    chain_id        BIGINT NOT NULL,
    number          BIGINT NOT NULL,
    hash            VARCHAR NOT NULL,
    parent_hash     VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    endpoint        VARCHAR NOT NULL,         -- RPC URL without credentials, or the file it came from
    pulled_at       TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain_id, number)
);

CREATE TABLE transfers (
    chain_id        BIGINT NOT NULL,
    block_number    BIGINT NOT NULL,
    block_hash      VARCHAR NOT NULL,
    time_utc        TIMESTAMPTZ NOT NULL,
    tx_hash         VARCHAR NOT NULL,
    log_index       BIGINT,                   -- NULL for native and internal transfers
    trace_address   VARCHAR,                  -- internal transfers: position in the call tree; '' for top-level native
    kind            VARCHAR NOT NULL,         -- erc20 | native | internal
    token           VARCHAR NOT NULL,         -- contract address lower-case, or 'native'
    from_address    VARCHAR NOT NULL,
    to_address      VARCHAR NOT NULL,
    value           VARCHAR NOT NULL,         -- exact uint256 as decimal text
    value_u128      UHUGEINT,
    endpoint        VARCHAR NOT NULL,
    evidence_sha256 VARCHAR,                  -- for file imports
    source_row      BIGINT,
    ingest_run_id   VARCHAR NOT NULL
);

CREATE TABLE token_metadata (
    chain_id        BIGINT NOT NULL,
    token           VARCHAR NOT NULL,
    symbol          VARCHAR,
    name            VARCHAR,
    decimals        INTEGER,
    note            VARCHAR,                  -- e.g. 'symbol is bytes32', 'decimals() reverted'
    PRIMARY KEY (chain_id, token)
);

-- Resumable pulls: the highest block fully stored for a (chain, endpoint, address set, kind).
CREATE TABLE chain_checkpoints (
    chain_id        BIGINT NOT NULL,
    scope           VARCHAR NOT NULL,         -- hash of the sorted address set and token filter
    kind            VARCHAR NOT NULL,         -- erc20 | native | internal
    last_block      BIGINT NOT NULL,
    updated_at      TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (chain_id, scope, kind)
);

-- Address labels: exchange hot wallets, bridges, mixers. Tracing stops at a labelled entity.
CREATE TABLE address_labels (
    chain_id        BIGINT,                   -- NULL: any EVM chain
    address         VARCHAR NOT NULL,
    entity          VARCHAR NOT NULL,
    category        VARCHAR NOT NULL,         -- exchange | bridge | mixer | attacker | victim | other
    source          VARCHAR NOT NULL,
    confidence      INTEGER NOT NULL          -- 0-100
);
