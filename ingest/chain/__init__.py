"""On-chain transfers: JSON-RPC pulls (rpc, decode, pull, reorg, metadata), file imports, and the one
module that writes them into DuckDB (store)."""
