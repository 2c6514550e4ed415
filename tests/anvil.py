"""pytest fixtures around a real anvil node (npm @foundry-rs/anvil-linux-amd64).

``anvil`` starts the binary on a free loopback port, waits until it answers JSON-RPC, and kills it after
the test. Tests are skipped (with the reason) only when the binary is missing; ``scripts/test`` installs
it, so CI never skips. Contracts come from contracts/build/*.json (compiled offline by contracts/build.sh).
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pytest
import requests
from eth_abi import encode

ROOT = Path(__file__).resolve().parent.parent
ANVIL_BIN = ROOT / "node_modules" / "@foundry-rs" / "anvil-linux-amd64" / "bin" / "anvil"
CONTRACTS = ROOT / "contracts" / "build"


def anvil_binary() -> Path | None:
    if ANVIL_BIN.is_file() and os.access(ANVIL_BIN, os.X_OK):
        return ANVIL_BIN
    found = shutil.which("anvil")
    return Path(found) if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def selector(signature: str) -> str:
    from eth_utils import keccak
    return "0x" + keccak(text=signature)[:4].hex()


class Anvil:
    """A running anvil node with a few helpers (its accounts are unlocked: no signing needed)."""

    def __init__(self, url: str, proc: subprocess.Popen[bytes]) -> None:
        self.url = url
        self.proc = proc
        self.session = requests.Session()
        self.last_receipt: dict[str, Any] = {}
        self.accounts: list[str] = [a.lower() for a in self.rpc("eth_accounts", [])]

    def rpc(self, method: str, params: Sequence[Any]) -> Any:
        reply = self.session.post(self.url, json={"jsonrpc": "2.0", "id": 1, "method": method,
                                                  "params": list(params)}, timeout=60).json()
        if reply.get("error"):
            raise RuntimeError(f"{method}: {reply['error']}")
        return reply["result"]

    def block_number(self) -> int:
        return int(self.rpc("eth_blockNumber", []), 16)

    def send(self, frm: str, to: str | None, data: str = "0x", value: int = 0, gas: int | None = None) -> dict[str, Any]:
        tx: dict[str, Any] = {"from": frm, "data": data, "value": hex(value)}
        if to:
            tx["to"] = to
        if gas:
            tx["gas"] = hex(gas)
        h = self.rpc("eth_sendTransaction", [tx])
        deadline = time.monotonic() + 30
        while True:  # automine answers before the receipt is always readable
            receipt: dict[str, Any] | None = self.rpc("eth_getTransactionReceipt", [h])
            if receipt is not None:
                return receipt
            if time.monotonic() > deadline:
                raise RuntimeError(f"transaction {h} was not mined")
            time.sleep(0.005)

    def deploy(self, name: str, types: Sequence[str] = (), args: Sequence[Any] = (), frm: str | None = None) -> str:
        art = json.loads((CONTRACTS / f"{name}.json").read_text())
        data = art["bytecode"] + encode(list(types), list(args)).hex()
        receipt = self.send(frm or self.accounts[0], None, data, gas=5_000_000)
        assert receipt["status"] == "0x1", f"deploying {name} failed"
        self.last_receipt = receipt
        return str(receipt["contractAddress"]).lower()

    def call(self, to: str, signature: str, types: Sequence[str], args: Sequence[Any], frm: str,
             value: int = 0, gas: int | None = None) -> dict[str, Any]:
        data = selector(signature) + encode(list(types), list(args)).hex()
        return self.send(frm, to, data, value=value, gas=gas)

    def mine(self, n: int = 1) -> None:
        self.rpc("anvil_mine", [hex(n)])


def start_anvil(extra: Sequence[str] = ()) -> Anvil:
    binary = anvil_binary()
    if binary is None:
        pytest.skip("anvil is not installed (run scripts/setup --test, which runs `npm ci`)")
    port = free_port()
    proc = subprocess.Popen([str(binary), "--host", "127.0.0.1", "--port", str(port), "--silent",
                             "--gas-limit", "100000000", *extra],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                          timeout=1).raise_for_status()
            break
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"anvil did not start on port {port}") from None
            time.sleep(0.05)
    return Anvil(url, proc)


def stop_anvil(node: Anvil) -> None:
    node.session.close()
    node.proc.kill()
    node.proc.wait(timeout=10)


@pytest.fixture
def anvil() -> Iterator[Anvil]:
    node = start_anvil()
    try:
        yield node
    finally:
        stop_anvil(node)
