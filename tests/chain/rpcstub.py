"""A tiny JSON-RPC node that answers from real mainnet captures (tests/fixtures/onchain).

It knows the blocks, receipts and logs it was given and applies eth_getLogs filter semantics
(block range, contract address, topic positions with OR-lists) to those logs; it offers no trace or
debug methods, like most public nodes.
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "onchain"


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())["result"]


class RpcStub:
    def __init__(self, blocks: list[dict[str, Any]], receipts: list[dict[str, Any]],
                 logs: list[dict[str, Any]] | None = None, chain_id: int = 1) -> None:
        self.blocks = {int(b["number"], 16): b for b in blocks}
        self.receipts = {r["transactionHash"]: r for r in receipts}
        self.logs = logs if logs is not None else [lg for r in receipts for lg in r["logs"]]
        self.chain_id = chain_id
        self.methods: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                req = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                answer = [stub.answer(r) for r in req] if isinstance(req, list) else stub.answer(req)
                data = json.dumps(answer).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def answer(self, req: dict[str, Any]) -> dict[str, Any]:
        method, params = req["method"], req.get("params", [])
        self.methods.append(method)
        out: dict[str, Any] = {"jsonrpc": "2.0", "id": req["id"]}
        if method == "eth_chainId":
            out["result"] = hex(self.chain_id)
        elif method == "eth_blockNumber":
            out["result"] = hex(max(self.blocks))
        elif method == "eth_getBlockByNumber":
            b = self.blocks.get(int(params[0], 16))
            if b is not None and not params[1]:
                b = dict(b, transactions=[t["hash"] for t in b["transactions"]])
            out["result"] = b
        elif method == "eth_getTransactionReceipt":
            out["result"] = self.receipts.get(params[0])
        elif method == "eth_getLogs":
            out["result"] = [lg for lg in self.logs if self._match(lg, params[0])]
        else:
            out["error"] = {"code": -32601, "message": f"the method {method} does not exist/is not available"}
        return out

    @staticmethod
    def _match(log: dict[str, Any], flt: dict[str, Any]) -> bool:
        n = int(log["blockNumber"], 16)
        if not int(flt["fromBlock"], 16) <= n <= int(flt["toBlock"], 16):
            return False
        if flt.get("address") and log["address"].lower() not in [a.lower() for a in flt["address"]]:
            return False
        for i, want in enumerate(flt.get("topics") or []):
            if want is None:
                continue
            wants = want if isinstance(want, list) else [want]
            if i >= len(log["topics"]) or log["topics"][i].lower() not in [w.lower() for w in wants]:
                return False
        return True

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
