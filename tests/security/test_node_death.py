"""The node dies mid-pull: anvil is killed with -9 while `keytrace chain pull` runs, restarted from its
state dump on the same port, and the pull resumes to exactly the ground truth."""

from __future__ import annotations

import gzip
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests

from core.workspace import Workspace
from tests.anvil import Anvil, anvil_binary, free_port
from tests.chain.helpers import stored
from tests.chain.test_resilience import spray_chain
from tests.security.conftest import Report

pytestmark = pytest.mark.anvil
ROOT = Path(__file__).resolve().parents[2]


def _start(port: int, extra: list[str]) -> Anvil:
    binary = anvil_binary()
    if binary is None:
        pytest.skip("anvil is not installed (run scripts/setup --test)")
    proc = subprocess.Popen([str(binary), "--host", "127.0.0.1", "--port", str(port), "--silent",
                             "--gas-limit", "100000000", *extra], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            requests.post(url, json={"jsonrpc": "2.0", "id": 1, "method": "eth_chainId", "params": []},
                          timeout=1).raise_for_status()
            return Anvil(url, proc)
        except requests.RequestException:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                raise RuntimeError(f"anvil did not start on port {port}") from None
            time.sleep(0.05)


def _checkpoint(ws: Workspace) -> int | None:
    with ws.db.read() as con:
        got = con.execute("SELECT max(last_block) FROM chain_checkpoints").fetchall()
    return None if got[0][0] is None else int(got[0][0])


def test_the_node_dies_mid_pull_and_the_pull_resumes(ws: Workspace, tmp_path: Path, report: Report) -> None:
    port = free_port()
    node = _start(port, [])
    restarted: Anvil | None = None
    try:
        truth, victim, _ = spray_chain(node, blocks=40, per_block=10)
        head = node.block_number()
        dump = tmp_path / "anvil-state.json"
        raw = bytes.fromhex(str(node.rpc("anvil_dumpState", []))[2:])  # hex of gzipped JSON
        dump.write_bytes(gzip.decompress(raw) if raw[:2] == b"\x1f\x8b" else raw)
        argv = [sys.executable, "-m", "app.cli", "--db", str(ws.settings.db_path), "chain", "pull", "--rpc", node.url,
                "--address", victim, "--from-block", "0", "--to-block", str(head), "--span", "2",
                "--batch-rows", "20", "--rps", "20", "--kinds", "erc20,native", "--json"]
        env = dict(os.environ, PYTHONPATH=str(ROOT))
        pull = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        deadline = time.monotonic() + 60
        while pull.poll() is None and _checkpoint(ws) is None and time.monotonic() < deadline:
            time.sleep(0.2)
        assert pull.poll() is None, "the pull finished before the node could be killed; make the chain longer"
        at_kill = _checkpoint(ws)
        os.kill(node.proc.pid, signal.SIGKILL)  # the node dies mid-pull
        node.proc.wait()
        time.sleep(1.0)  # the puller meets refused connections for a while
        restarted = _start(port, ["--load-state", str(dump)])
        assert restarted.block_number() == head
        out, err = pull.communicate(timeout=180)
        first_status = pull.returncode
        assert "Traceback" not in err
        reruns = 0
        if first_status != 0:  # it gave up on the dead node with one sentence; a re-run resumes
            assert err.startswith("keytrace: ") and err.count("\n") == 1, err
            rerun = subprocess.run(argv, env=env, cwd=ROOT, capture_output=True, text=True, timeout=180)
            assert rerun.returncode == 0, rerun.stderr
            reruns = 1
        assert stored(ws) == truth.involving({victim})
        with ws.db.read() as con:
            dup = con.execute("SELECT count(*) - count(DISTINCT (tx_hash, kind, coalesce(log_index, -1))) "
                              "FROM transfers").fetchall()[0][0]
        assert dup == 0
        report(f"node death: anvil killed -9 mid-pull (checkpoint at block {at_kill} of {head}), restarted from its "
               f"state dump; the running pull {'finished by itself' if first_status == 0 else 'stopped with one sentence'}"
               f", {reruns} re-run; {len(truth.involving({victim}))} transfers stored = ground truth, 0 duplicates")
    finally:
        for n in (node, restarted):
            if n is not None and n.proc.poll() is None:
                n.proc.kill()
                n.proc.wait(timeout=10)
