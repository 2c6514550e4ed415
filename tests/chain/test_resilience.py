"""Completeness under trouble: kill -9 mid-pull and resume, reorgs, a node that misbehaves."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from core.workspace import Workspace
from ingest.chain.pull import PullSpec, pull
from ingest.chain.rpc import RpcClient
from tests.anvil import Anvil
from tests.chain import scenario
from tests.chain.faultproxy import FaultProxy
from tests.chain.helpers import cli, stored

pytestmark = pytest.mark.anvil
ROOT = Path(__file__).resolve().parents[2]


def spray_chain(node: Anvil, blocks: int, per_block: int) -> tuple[scenario.Truth, str, str]:
    """``blocks`` blocks, each with a spray of ``per_block`` token transfers and one ether transfer to
    the victim."""
    a = node.accounts
    deployer, victim = a[0], a[1]
    t = scenario.Truth()
    token = node.deploy("SprayToken", ["string", "string", "uint8", "uint256"], ["S", "S", 0, 10 ** 40])
    t.erc20(node.last_receipt, token, [("0x" + "0" * 40, deployer, 10 ** 40)])
    for i in range(blocks):
        r = node.call(token, "spray(address,uint256,uint256)", ["address", "uint256", "uint256"],
                      [victim, 2 ** 65 + i, per_block], deployer)
        t.erc20(r, token, [(deployer, victim, 2 ** 65 + i)] * per_block)
        if i % 3 == 0:
            r = node.send(deployer, victim, value=10 ** 15 + i)
            t.native(r, deployer, victim, 10 ** 15 + i)
    return t, victim, token


def _checkpoint(ws: Workspace) -> int | None:
    with ws.db.read() as con:
        got = con.execute("SELECT max(last_block) FROM chain_checkpoints").fetchall()
    return None if got[0][0] is None else int(got[0][0])


def test_kill_minus_nine_then_resume_has_no_gap_and_no_duplicate(ws: Workspace, anvil: Anvil,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    truth, victim, _ = spray_chain(anvil, blocks=60, per_block=15)
    head = anvil.block_number()
    argv = [sys.executable, "-m", "app.cli", "--db", str(ws.settings.db_path), "chain", "pull", "--rpc", anvil.url,
            "--address", victim, "--from-block", "0", "--to-block", str(head), "--span", "2", "--batch-rows", "20", "--rps", "30",
            "--kinds", "erc20,native", "--json"]
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    rng = random.Random(4)
    kills = 0
    seen_checkpoints = []
    for _ in range(3):
        proc = subprocess.Popen(argv, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        before = _checkpoint(ws)
        deadline = time.monotonic() + 60
        while proc.poll() is None and _checkpoint(ws) == before and time.monotonic() < deadline:
            time.sleep(0.25)  # do not starve the writer of its lock
        time.sleep(rng.uniform(0.0, 0.4))
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGKILL)
            kills += 1
        proc.wait()
        seen_checkpoints.append(_checkpoint(ws))
    assert kills >= 2, "the pull finished before it could be killed; make the chain longer"
    assert seen_checkpoints[-1] is not None
    # the stored rows so far are exactly a prefix of the truth: everything up to the checkpoint
    cp = seen_checkpoints[-1]
    assert [r for r in stored(ws) if r[0] <= cp] == [r for r in truth.involving({victim}) if r[0] <= cp]
    code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", victim, "--from-block", "0",
                          "--to-block", str(head), "--kinds", "erc20,native", "--json")
    assert code == 0, err
    assert stored(ws) == truth.involving({victim})
    with ws.db.read() as con:
        dup = con.execute("SELECT count(*) - count(DISTINCT (tx_hash, kind, coalesce(log_index, -1))) "
                          "FROM transfers").fetchall()[0][0]
    assert dup == 0


def test_reorg_is_detected_rolled_back_and_pulled_again(ws: Workspace, anvil: Anvil,
                                                        capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario.build(anvil)
    snap = anvil.rpc("evm_snapshot", [])
    base = sc.truth.involving({sc.victim})
    # the branch that will be orphaned
    orphan = scenario.Truth()
    r = anvil.call(sc.token, "transfer(address,uint256)", ["address", "uint256"], [sc.victim, 111], sc.deployer)
    orphan.erc20(r, sc.token, [(sc.deployer, sc.victim, 111)])
    r = anvil.send(sc.deployer, sc.victim, value=222)
    orphan.native(r, sc.deployer, sc.victim, 222)
    anvil.mine(1)
    args = ["chain", "pull", "--rpc", anvil.url, "--address", sc.victim, "--from-block", "0", "--json"]
    code, data, err = cli(ws, capsys, *args)
    assert code == 0, err
    assert stored(ws) == sorted(base + orphan.involving({sc.victim}), key=lambda x: (x[0], x[1], x[2] or -1, x[3], x[6]))
    orphan_blocks = {r[0] for r in orphan.rows}

    # the reorg: back to the snapshot, then a different history of the same and greater height
    anvil.rpc("evm_revert", [snap])
    canon = scenario.Truth()
    r = anvil.call(sc.token, "transfer(address,uint256)", ["address", "uint256"], [sc.attacker, 333], sc.victim)
    canon.erc20(r, sc.token, [(sc.victim, sc.attacker, 333)])
    anvil.mine(3)
    code, data, err = cli(ws, capsys, *args)
    assert code == 0, err
    assert data["reorg"] is not None
    assert data["reorg"]["kept_up_to_block"] < min(orphan_blocks)
    assert data["reorg"]["transfers_removed"] == 2
    assert stored(ws) == base + canon.involving({sc.victim})
    with ws.db.read() as con:
        for n, h in con.execute("SELECT number, hash FROM chain_blocks").fetchall():
            assert anvil.rpc("eth_getBlockByNumber", [hex(n), False])["hash"] == h
        actions = [a for (a,) in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
    assert "chain.reorg_rollback" in actions

    # a reorg to a shorter chain: blocks above the new head are rolled back too
    snap2 = anvil.rpc("evm_snapshot", [])
    anvil.send(sc.deployer, sc.victim, value=444)
    anvil.mine(2)
    code, data, _ = cli(ws, capsys, *args)
    assert code == 0 and data["found"] == 1
    anvil.rpc("evm_revert", [snap2])
    code, data, _ = cli(ws, capsys, *args)
    assert code == 0 and data["reorg"] is not None
    assert stored(ws) == base + canon.involving({sc.victim})


@pytest.fixture
def proxy(anvil: Anvil) -> Iterator[FaultProxy]:
    p = FaultProxy(anvil.url, slow_seconds=0.5, max_log_span=3)
    try:
        yield p
    finally:
        p.close()


def test_faulty_node_still_yields_the_complete_set(ws: Workspace, anvil: Anvil, proxy: FaultProxy) -> None:
    truth, victim, _ = spray_chain(anvil, blocks=24, per_block=4)
    sc_truth = truth.involving({victim})
    url = proxy.url(credentials=True)
    client = RpcClient(url, timeout=0.3, backoff=0.01, max_backoff=0.05, max_attempts=12, batch_size=10)
    report = pull(ws, client, PullSpec(addresses=(victim,), from_block=0, span=16, kinds=("erc20", "native")))
    assert stored(ws) == sc_truth
    for fault in ("429", "503", "slow", "dropped", "too_many_results", "truncated", "batch_short"):
        assert proxy.faults.get(fault, 0) > 0, f"the proxy never injected {fault}"
    assert report.rpc_retries > 0
    # credentials never reach the database
    with ws.db.read() as con:
        text = " ".join(str(v) for table in ("transfers", "chain_blocks", "ingest_runs", "audit_log")
                        for row in con.execute(f"SELECT * FROM {table}").fetchall() for v in row)
    for secret in ("alice", "hunter2secret", "abcdef0123456789abcdef0123", "sk_live_777", "apikey"):
        assert secret not in text
    assert f"http://127.0.0.1:{proxy.port}/v3/***" in text


def test_errors_never_show_credentials(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    # nothing listens on port 9 of loopback: a connection error, retried then reported
    url = "http://bob:pa55word@127.0.0.1:9/v2/ZXhhbXBsZWtleTEyMzQ1Njc4OTA?token=abc123"
    code, _, err = cli(ws, capsys, "chain", "pull", "--rpc", url, "--address", "0x" + "1" * 40, "--from-block", "0",
                       "--timeout", "0.2", "--retries", "2")
    assert code == 1
    assert "http://127.0.0.1:9/v2/***" in err and "resumes where it stopped" in err
    for secret in ("bob", "pa55word", "ZXhhbXBsZWtleTEyMzQ1Njc4OTA", "abc123", "token="):
        assert secret not in err


def test_debug_logs_never_show_credentials(ws: Workspace, anvil: Anvil, caplog: pytest.LogCaptureFixture) -> None:
    proxy = FaultProxy(anvil.url, faults=False)
    caplog.set_level("DEBUG")
    try:
        client = RpcClient(proxy.url(credentials=True))
        try:
            pull(ws, client, PullSpec(addresses=(anvil.accounts[1],), from_block=0, kinds=("erc20",)))
        finally:
            client.close()
    finally:
        proxy.close()
    assert f"127.0.0.1:{proxy.port}" in caplog.text  # web3 did log the endpoint ...
    for secret in ("alice", "hunter2secret", "abcdef0123456789abcdef0123", "sk_live_777"):
        assert secret not in caplog.text  # ... without its credentials


def test_reorg_during_a_pull_is_repaired_in_the_same_run(ws: Workspace, anvil: Anvil) -> None:
    truth, victim, token = spray_chain(anvil, blocks=8, per_block=3)
    deployer = anvil.accounts[0]
    snap = anvil.rpc("evm_snapshot", [])
    fork_at = anvil.block_number()
    for _ in range(10):  # the branch that the node will drop while keytrace is pulling it
        anvil.call(token, "spray(address,uint256,uint256)", ["address", "uint256", "uint256"], [victim, 5, 2], deployer)
    canon = scenario.Truth()
    fired: list[int] = []

    def reorg_midway(req: object) -> None:
        calls = req if isinstance(req, list) else [req]
        for c in calls:
            if (not fired and isinstance(c, dict) and c.get("method") == "eth_getLogs"
                    and int(c["params"][0]["fromBlock"], 16) >= fork_at + 6):
                fired.append(1)
                anvil.rpc("evm_revert", [snap])
                for j in range(12):
                    r = anvil.call(token, "spray(address,uint256,uint256)", ["address", "uint256", "uint256"],
                                   [victim, 900 + j, 1], deployer)
                    canon.erc20(r, token, [(deployer, victim, 900 + j)])

    proxy = FaultProxy(anvil.url, faults=False, before_forward=reorg_midway)
    try:
        client = RpcClient(proxy.url())
        report = pull(ws, client, PullSpec(addresses=(victim,), from_block=0, span=2, max_span=2, commit_rows=1,
                                           kinds=("erc20",)))
        client.close()
    finally:
        proxy.close()
    assert fired
    assert report.reorg is not None and report.reorg["kept_up_to_block"] <= fork_at
    expected = [r for r in truth.involving({victim}) if r[3] == "erc20"] + canon.involving({victim})
    # the range was fixed when the pull started; the new branch is longer, so a next pull takes the rest
    assert stored(ws) == [r for r in expected if r[0] <= report.to_block]
    client = RpcClient(anvil.url)
    report = pull(ws, client, PullSpec(addresses=(victim,), from_block=0, kinds=("erc20",)))
    client.close()
    assert report.reorg is None and stored(ws) == expected
