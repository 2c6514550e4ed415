-- Whether a file (by content hash) was already imported as chain data. Grain: at most one row.
-- Params: $sha.
SELECT run_id
FROM ingest_runs
WHERE evidence_sha256 = $sha AND format IN ('ethereumetl_token_transfers', 'ethereumetl_transactions',
      'ethereumetl_logs', 'ethereumetl_blocks', 'etherscan_transactions', 'etherscan_internal',
      'etherscan_token_transfers')
LIMIT 1
