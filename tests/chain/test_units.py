"""Pure pieces: credential stripping, error classification, rate limit, decoding, token metadata."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.errors import FatalRpcError, RetriableRpcError
from ingest.chain.decode import TRANSFER_TOPIC, TransferColumns, erc20_rows, topic_for
from ingest.chain.endpoint import public_endpoint, scrub
from ingest.chain.metadata import decode_decimals, decode_text
from ingest.chain.pull import ChainPull
from ingest.chain.rpc import MethodUnsupported, RangeRefused, RateLimiter, RpcClient


@pytest.mark.parametrize(("url", "public"), [
    ("https://mainnet.infura.io/v3/9aa3d95b3bc440fa88ea12eaa4456161", "https://mainnet.infura.io/v3/***"),
    ("https://eth-mainnet.g.alchemy.com/v2/Zx9-abcdEFGH_ijkl1234", "https://eth-mainnet.g.alchemy.com/v2/***"),
    ("https://user:secret@node.example.com:8545/rpc?apikey=k3y#frag", "https://node.example.com:8545/rpc"),
    ("http://127.0.0.1:8545", "http://127.0.0.1:8545"),
    ("https://rpc.ankr.com/eth/0123456789abcdef0123456789abcdef", "https://rpc.ankr.com/eth/***"),
])
def test_public_endpoint_strips_credentials(url: str, public: str) -> None:
    assert public_endpoint(url) == public
    message = f"failed: HTTPSConnectionPool: Max retries exceeded with url: {url} (again: {url[8:]})"
    clean = scrub(message, url)
    for part in ("9aa3d95b3bc440fa88ea12eaa4456161", "Zx9-abcdEFGH_ijkl1234", "secret", "k3y",
                 "0123456789abcdef0123456789abcdef"):
        assert part not in clean


def test_rpc_errors_are_classified() -> None:
    c = RpcClient("http://127.0.0.1:9")
    assert isinstance(c._error("eth_getLogs", {"code": -32005, "message": "query returned more than 10000 results"}),
                      RangeRefused)
    assert isinstance(c._error("eth_getLogs", {"code": -32000, "message": "Log response size exceeded."}), RangeRefused)
    assert isinstance(c._error("trace_filter", {"code": -32601, "message": "Method not found"}), MethodUnsupported)
    assert isinstance(c._error("eth_call", {"code": 3, "message": "execution reverted"}), FatalRpcError)
    err = c._error("eth_call", {"code": -32000, "message": "execution reverted: transfer amount exceeds balance"})
    assert type(err) is FatalRpcError  # not a range problem, not retriable
    err = c._error("eth_getLogs", {"code": -32000, "message": "rate limit reached, try again"})
    assert type(err) is RetriableRpcError
    assert isinstance(RangeRefused("x"), RetriableRpcError)
    with pytest.raises(FatalRpcError, match="not an http"):
        RpcClient("ws://127.0.0.1:8546")


def test_rate_limiter_spaces_requests() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(s: float) -> None:
        slept.append(s)
        now[0] += s

    lim = RateLimiter(10, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        lim.acquire()
    lim.acquire(10)  # a batch of ten calls counts ten
    lim.acquire()
    assert now[0] == pytest.approx(0.5 + 1.0)


def test_checkpoint_plan_never_leaves_a_gap() -> None:
    plan = ChainPull._plan
    assert [(a, b, f(b)) for a, b, f in plan(None, 10, 20)] == [(10, 20, (10, 20))]
    assert [(a, b, f(b)) for a, b, f in plan((10, 15), 10, 20)] == [(16, 20, (10, 20))]
    assert plan((10, 25), 12, 20) == []
    segs = plan((10, 15), 5, 20)
    assert [(a, b) for a, b, _ in segs] == [(5, 9), (16, 20)]
    assert segs[0][2](7) is None and segs[0][2](9) == (5, 15) and segs[1][2](18) == (5, 18)
    assert [(a, b, f(b)) for a, b, f in plan((10, 15), 30, 40)] == [(30, 40, (30, 40))]


def _log(value: int, frm: str, to: str, topics: list[str] | None = None, data: str | None = None) -> dict[str, object]:
    return {"topics": topics or [TRANSFER_TOPIC, topic_for(frm), topic_for(to)],
            "data": data if data is not None else "0x" + format(value, "064x"),
            "transactionHash": "0x" + "ab" * 32, "logIndex": "0x7", "blockNumber": "0x10",
            "blockHash": "0x" + "cd" * 32, "address": "0x" + "ee" * 20}


@given(st.integers(min_value=0, max_value=2 ** 256 - 1))
def test_every_uint256_value_is_exact(value: int) -> None:
    cols = TransferColumns()
    erc20_rows([_log(value, "0x" + "11" * 20, "0x" + "22" * 20)], cols)
    assert cols.value == [str(value)] and cols.log_index == [7] and cols.block_number == [16]
    assert cols.from_address == ["0x" + "11" * 20] and cols.to_address == ["0x" + "22" * 20]


def test_odd_logs_are_skipped_and_counted() -> None:
    a, b = "0x" + "11" * 20, "0x" + "22" * 20
    cols = TransferColumns()
    erc20_rows([
        _log(1, a, b, topics=[TRANSFER_TOPIC, topic_for(a), topic_for(b), "0x" + "00" * 31 + "05"], data="0x"),
        _log(1, a, b, data="0x"),
        dict(_log(1, a, b), removed=True),
        _log(1, a, b, topics=["0x" + "99" * 32, topic_for(a), topic_for(b)]),
        _log(3, a, b),
    ], cols)
    assert cols.value == ["3"]
    assert sum(cols.skipped.values()) == 4
    cols2 = TransferColumns()  # a log whose sender was fetched by the sender filter is not taken twice
    erc20_rows([_log(3, a, b)], cols2, skip_senders=frozenset({topic_for(a)}))
    assert len(cols2) == 0


def test_token_metadata_decoding() -> None:
    abi_string = "0x" + format(32, "064x") + format(4, "064x") + "55534454".ljust(64, "0")
    assert decode_text(abi_string) == ("USDT", None)
    assert decode_text("0x" + "4d4b52".ljust(64, "0")) == ("MKR", "bytes32")
    assert decode_text("0x")[0] is None
    assert decode_decimals("0x" + format(18, "064x")) == (18, None)
    value, note = decode_decimals("0x" + format(1000, "064x"))
    assert value is None and note and "1000" in note
    assert decode_decimals("0x")[0] is None


@given(st.integers(min_value=0, max_value=2 ** 256 - 1), st.integers(min_value=0, max_value=30))
def test_display_amounts_scale_back_to_the_exact_integer(raw: int, decimals: int) -> None:
    from decimal import Context, Decimal
    from pathlib import Path

    from ingest.chain.files import _Row
    shown = format(Decimal(raw).scaleb(-decimals, context=Context(prec=200)), "f")  # how Etherscan writes the amount
    assert _Row(Path("x.csv"), 2, {"TokenValue": shown}).scaled("TokenValue", decimals) == raw


def test_json_rpc_errors_sent_with_http_400_are_classified() -> None:
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802
            self.rfile.read(int(self.headers["Content-Length"]))
            body = b'{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"query returned more than 10000 results"}}'
            self.send_response(400)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        client = RpcClient(f"http://127.0.0.1:{server.server_address[1]}")
        with pytest.raises(RangeRefused):
            client.call("eth_getLogs", [{}])
        client.close()
    finally:
        server.shutdown()
        server.server_close()
