"""keytrace chain pull against a real anvil node: exact match with the ground truth, row for row."""

from __future__ import annotations

import csv

import pytest

from core.workspace import Workspace
from tests.anvil import Anvil
from tests.chain import scenario
from tests.chain.helpers import cli, stored

pytestmark = pytest.mark.anvil


def test_pull_matches_ground_truth_row_for_row(ws: Workspace, anvil: Anvil,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario.build(anvil)
    code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                          "--from-block", "0", "--json")
    assert code == 0, err
    expected = sc.truth.involving({sc.victim})
    got = stored(ws, 31337)
    assert got == expected
    assert data["chain_id"] == 31337
    assert data["added"] == {"erc20": 34, "internal": 1, "native": 3}
    assert data["notes"] == []
    # exact values beyond 64 and 128 bits; value_u128 only when it fits
    with ws.db.read() as con:
        vals = dict(con.execute("SELECT value, value_u128 FROM transfers WHERE kind = 'erc20'").fetchall())
        assert vals[str(2 ** 200 + 7)] is None
        assert vals[str(2 ** 70 + 3)] == 2 ** 70 + 3
        # provenance: endpoint, block hash matching the node, tx hash, log index
        rows = con.execute("SELECT DISTINCT endpoint FROM transfers").fetchall()
        assert rows == [(anvil.url,)]
        for bn, bh in con.execute("SELECT block_number, block_hash FROM transfers").fetchall():
            assert anvil.rpc("eth_getBlockByNumber", [hex(bn), False])["hash"] == bh
        times = con.execute("SELECT DISTINCT t.time_utc = b.time_utc FROM transfers t JOIN chain_blocks b "
                            "ON b.chain_id = t.chain_id AND b.number = t.block_number").fetchall()
        assert times == [(True,)]
        meta = {r[0]: r[1:] for r in con.execute(
            "SELECT token, symbol, name, decimals, note FROM token_metadata").fetchall()}
    assert meta[sc.token] == ("SPR", "Spray", 18, None)
    assert meta[sc.token2] == ("OTH", "Other", 6, None)
    assert meta[sc.bytes32_token] == ("MKR", "Maker", None, "symbol is bytes32; name is bytes32; decimals() reverted")
    assert meta[sc.lying_token][0] is None and meta[sc.lying_token][2] is None
    assert "symbol() reverted" in meta[sc.lying_token][3]
    assert "returned 1000" in meta[sc.lying_token][3]

    # pulling again adds nothing (checkpoint), and a fresh scope over the same range adds no duplicates
    code, data, _ = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                        "--from-block", "0", "--json")
    assert code == 0 and data["found"] == 0
    code, data, _ = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim, sc.other,
                        "--from-block", "0", "--json")
    assert code == 0
    assert stored(ws) == sc.truth.involving({sc.victim, sc.other})


def test_token_filter_follow_and_export(ws: Workspace, anvil: Anvil, capsys: pytest.CaptureFixture[str],
                                        tmp_path: object) -> None:
    sc = scenario.build(anvil)
    code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                          "--from-block", "0", "--token", sc.token2, "--kinds", "erc20", "--json")
    assert code == 0, err
    assert stored(ws) == [r for r in sc.truth.involving({sc.victim}) if r[4] == sc.token2]
    # --follow 1 reaches the victim's counterparties and pulls their transfers too
    code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                          "--from-block", "0", "--follow", "1", "--json")
    assert code == 0, err
    hop1 = {sc.victim} | {a for r in sc.truth.involving({sc.victim}) for a in (r[5], r[6])}
    hop1.discard("0x" + "0" * 40)
    assert data["hops"][1]["addresses"] == len(hop1) - 1
    assert stored(ws) == sc.truth.involving(hop1)

    out = ws.settings.db_path.with_name("transfers.csv")
    code, _, err = cli(ws, capsys, "export", "transfers", "--out", str(out))
    assert code == 0, err
    with out.open(newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["chain_id", "block_number", "time_utc", "tx_hash", "log_index", "token", "from", "to",
                       "value"]
    assert len(rows) - 1 == len(sc.truth.involving(hop1))
    big = [r for r in rows[1:] if r[8] == str(2 ** 200 + 7)]
    assert len(big) == 1 and big[0][5] == sc.token and big[0][2].endswith("Z") and big[0][0] == "31337"
    native = [r for r in rows[1:] if r[5] == "native"]
    assert native and all(r[4] == "" for r in native)


def test_confirmations_hold_back_recent_blocks(ws: Workspace, anvil: Anvil,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario.build(anvil)
    head = anvil.block_number()
    r = anvil.send(sc.deployer, sc.victim, value=42)  # block head+1, not final with 3 confirmations
    code, data, _ = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                        "--from-block", "0", "--confirmations", "3", "--json")
    assert code == 0
    assert data["to_block"] == head + 1 - 3
    assert all(row[0] <= head - 2 for row in stored(ws))
    anvil.mine(3)
    code, data, _ = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                        "--from-block", "0", "--confirmations", "3", "--json")
    assert code == 0
    assert stored(ws) == sc.truth.involving({sc.victim}) + [
        (int(r["blockNumber"], 16), r["transactionHash"], None, "native", "native", sc.deployer, sc.victim, 42)]


def test_bad_input_is_one_sentence(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = cli(ws, capsys, "chain", "pull", "--rpc", "https://user:pw@example.invalid/v3/abcdef0123456789abcdef",
                       "--address", "0x12", "--from-block", "0")
    assert code == 1 and "'0x12' is not an EVM address" in err and "abcdef0123456789" not in err


def test_internal_transfers_through_debug_trace_when_trace_filter_is_missing(
        ws: Workspace, anvil: Anvil, capsys: pytest.CaptureFixture[str]) -> None:
    from tests.chain.faultproxy import FaultProxy
    sc = scenario.build(anvil)
    proxy = FaultProxy(anvil.url, faults=False, refuse=frozenset({"trace_filter", "trace_transaction"}))
    try:
        code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", proxy.url(), "--address", sc.victim, sc.other,
                              "--from-block", "0", "--kinds", "internal", "--json")
    finally:
        proxy.close()
    assert code == 0, err
    assert proxy.faults["refused_method"] >= 1 and data["notes"] == []
    expected = [r for r in sc.truth.involving({sc.victim, sc.other}) if r[3] == "internal"]
    assert len(expected) == 2
    assert stored(ws) == expected
    with ws.db.read() as con:
        paths = sorted(p for (p,) in con.execute("SELECT trace_address FROM transfers").fetchall())
    assert paths == ["0", "1"]  # forward(): first call; split(): second call to `other`


def test_ingest_run_records_the_pull(ws: Workspace, anvil: Anvil, capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario.build(anvil)
    for _ in range(2):
        code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.attacker,
                              "--from-block", "0", "--kinds", "erc20", "--json")
        assert code == 0, err
    with ws.db.read() as con:
        runs = con.execute("SELECT format, source_name, rows_added, status FROM ingest_runs ORDER BY started_at"
                           ).fetchall()
    n = len([r for r in sc.truth.involving({sc.attacker}) if r[3] == "erc20"])
    assert runs == [("jsonrpc_pull", anvil.url, n, "committed"), ("jsonrpc_pull", anvil.url, 0, "no_change")]


def test_follow_stops_at_labelled_addresses(ws: Workspace, anvil: Anvil, capsys: pytest.CaptureFixture[str]) -> None:
    sc = scenario.build(anvil)
    with ws.db.write() as con:
        con.execute("INSERT INTO address_labels VALUES (NULL, ?, 'Exchange hot wallet', 'exchange', 'test', 90)",
                    [sc.attacker.upper().replace("0X", "0x")])
    code, data, err = cli(ws, capsys, "chain", "pull", "--rpc", anvil.url, "--address", sc.victim,
                          "--from-block", "0", "--follow", "1", "--json")
    assert code == 0, err
    hop1 = {sc.victim} | {a for r in sc.truth.involving({sc.victim}) for a in (r[5], r[6])}
    hop1 -= {"0x" + "0" * 40, sc.attacker}
    assert stored(ws) == sc.truth.involving(hop1)
    assert any("stopped at labelled addresses (Exchange hot wallet)" in n for n in data["notes"])
