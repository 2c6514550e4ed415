-- 011_ingest_evidence_kind: what kind of evidence of executions each ingested file is, for coverage.
-- fills (trade histories, fills), orders (order histories with a filled size), statement (ledgers that
-- record every balance change, trade legs included), transfers (deposit and withdrawal histories: they
-- say nothing about trading), prices, bot_orders, api_keys. Set by ingest/load.py from the format
-- (FormatSpec.evidence_kind); runs recorded before this column existed are filled in from their format.
ALTER TABLE ingest_runs ADD COLUMN evidence_kind VARCHAR;
UPDATE ingest_runs SET evidence_kind = CASE
    WHEN format IN ('binance_transaction_statement', 'binance_transaction_statement_2024', 'kucoin_account_history', 'kraken_ledgers', 'coinbasepro_account',
                    'okx_trades', 'okx_statement_2019') THEN 'statement'
    WHEN format IN ('binance_order_history', 'kucoin_filled_orders', 'kucoin_orders_v3', 'kucoin_api_orders') THEN 'orders'
    WHEN format IN ('binance_klines', 'kucoin_api_candles') THEN 'prices'
    WHEN format IN ('threecommas_deals', 'threecommas_deals_csv') THEN 'bot_orders'
    WHEN format = 'binance_api_restrictions' THEN 'api_keys'
    WHEN format LIKE '%deposit%' OR format LIKE '%withdrawal%' OR format LIKE '%transfer%' OR format = 'okx_funding'
        THEN 'transfers'
    ELSE 'fills'
END;
