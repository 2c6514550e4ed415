-- merge_ledger_movements: add the staged balance changes that the account does not already have.
-- Grain: inserts one ledger_movements row per staged row whose (account, natural key, occurrence) is new.
-- (A left join rather than NOT EXISTS: the correlated form deduplicates every staged row first.)
-- Params: $exchange, $account (when the file carries none), $sha, $run_id, $format.
INSERT INTO ledger_movements (exchange, account, time_utc, wallet, kind, operation, asset, amount, fee, status,
                              address, tx_hash, network, remark, ref_id, occurrence, evidence_sha256,
                              source_row, ingest_run_id, format)
SELECT
    $exchange,
    coalesce(f.account, $account),
    f.time_utc,
    f.wallet,
    f.kind,
    f.operation,
    f.asset,
    f.amount,
    f.fee,
    f.status,
    f.address,
    f.tx_hash,
    f.network,
    f.remark,
    f.ref_id,
    f.occurrence,
    $sha,
    f.source_row,
    $run_id,
    $format
FROM stage.final AS f
LEFT JOIN ledger_movements AS m
    ON m.exchange = $exchange
   AND m.account = coalesce(f.account, $account)
   AND m.time_utc = f.time_utc
   AND m.wallet IS NOT DISTINCT FROM f.wallet
   AND m.operation = f.operation
   AND m.asset = f.asset
   AND m.amount = f.amount
   AND m.fee IS NOT DISTINCT FROM f.fee
   AND m.tx_hash IS NOT DISTINCT FROM f.tx_hash
   AND m.ref_id IS NOT DISTINCT FROM f.ref_id
   AND m.address IS NOT DISTINCT FROM f.address
   AND m.occurrence = f.occurrence
WHERE m.exchange IS NULL
