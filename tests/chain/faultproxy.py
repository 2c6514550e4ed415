"""An HTTP proxy in front of anvil that injects the faults hosted nodes produce.

Deterministic by request count: HTTP 429 (with Retry-After) and 503, answers slower than the client's
timeout, dropped connections, truncated bodies, batches with an answer missing, and eth_getLogs ranges
wider than ``max_log_span`` refused with "query returned more than 10000 results".
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import requests


class FaultProxy:
    def __init__(self, upstream: str, *, slow_seconds: float = 1.0, max_log_span: int = 3,
                 faults: bool = True, refuse: frozenset[str] = frozenset(),
                 before_forward: Callable[[Any], None] | None = None) -> None:
        self.upstream = upstream
        self.before_forward = before_forward
        self.inject = faults
        self.refuse = refuse
        self.slow_seconds = slow_seconds
        self.max_log_span = max_log_span
        self.count = 0
        self.faults: dict[str, int] = {}
        self.lock = threading.Lock()
        self.session = requests.Session()
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
                proxy.handle(self, body)

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.port = self.server.server_address[1]
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, credentials: bool = False) -> str:
        if credentials:
            return f"http://alice:hunter2secret@127.0.0.1:{self.port}/v3/abcdef0123456789abcdef0123?apikey=sk_live_777"
        return f"http://127.0.0.1:{self.port}"

    def _fault(self, name: str) -> None:
        self.faults[name] = self.faults.get(name, 0) + 1

    def handle(self, h: BaseHTTPRequestHandler, body: bytes) -> None:
        with self.lock:
            self.count += 1
            n = self.count
        req = json.loads(body)
        if self.before_forward is not None:
            self.before_forward(req)
        if self.refuse:
            calls = req if isinstance(req, list) else [req]
            if any(c.get("method") in self.refuse for c in calls):
                self._fault("refused_method")
                err = {"code": -32601, "message": "Method not found"}
                if isinstance(req, list):
                    answers = [{"jsonrpc": "2.0", "id": c["id"], "error": err} for c in calls]
                    return self._send(h, 200, json.dumps(answers).encode())
                return self._send(h, 200, json.dumps({"jsonrpc": "2.0", "id": req["id"], "error": err}).encode())
        if not self.inject:
            return self._send(h, 200, self.session.post(self.upstream, data=body, timeout=60,
                                                        headers={"Content-Type": "application/json"}).content)
        if n % 7 == 1:
            self._fault("429")
            return self._send(h, 429, b'{"error":"rate limited"}', {"Retry-After": "0"})
        if n % 7 == 3:
            self._fault("503")
            return self._send(h, 503, b"upstream unavailable")
        if n % 11 == 5:
            self._fault("slow")
            time.sleep(self.slow_seconds)
        if n % 13 == 6:
            self._fault("dropped")
            h.close_connection = True
            h.connection.close()
            return None
        calls = req if isinstance(req, list) else [req]
        refused = []
        for c in calls:
            if c.get("method") == "eth_getLogs":
                f = c["params"][0]
                if int(f["toBlock"], 16) - int(f["fromBlock"], 16) + 1 > self.max_log_span:
                    refused.append(c["id"])
        upstream = self.session.post(self.upstream, data=body, headers={"Content-Type": "application/json"},
                                     timeout=60).content
        answer = json.loads(upstream)
        if refused:
            self._fault("too_many_results")
            err = {"code": -32005, "message": "query returned more than 10000 results"}
            if isinstance(answer, list):
                answer = [{"jsonrpc": "2.0", "id": a["id"], "error": err} if a["id"] in refused else a for a in answer]
            else:
                answer = {"jsonrpc": "2.0", "id": answer["id"], "error": err}
        if isinstance(answer, list) and len(answer) > 1 and n % 5 == 2:
            self._fault("batch_short")
            answer = answer[:-1]
        data = json.dumps(answer).encode()
        if n % 17 == 8:
            self._fault("truncated")
            h.send_response(200)
            h.send_header("Content-Type", "application/json")
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data[: len(data) // 2])
            h.close_connection = True
            h.connection.close()
            return None
        return self._send(h, 200, data)

    @staticmethod
    def _send(h: BaseHTTPRequestHandler, status: int, data: bytes, headers: dict[str, str] | None = None) -> None:
        h.send_response(status)
        h.send_header("Content-Type", "application/json")
        h.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.end_headers()
        h.wfile.write(data)

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()
        self.session.close()
