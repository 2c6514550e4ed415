"""Taint models on a hand-made graph with hand-computed answers.

    blk 10  Z -> A 100   (clean money already at A)
    blk 11  S -> A 100   (stolen)
    blk 12  A -> B  50
    blk 13  A -> X 150   X: exchange hot wallet
    blk 14  B -> M  50   M: mixer
    blk 15  S -> C  30
    blk 16  C -> X  30

haircut: A holds 200 of which 100 tainted; A->B carries 25, A->X 75; B->M 25; C->X 30 => X 105, M 25.
poison:  A is poisoned after blk 11 => A->B 50, A->X 150, B->M 50, C->X 30 => X 180, M 50.
fifo:    A's coins in order [100 clean, 100 stolen]; A->B takes 50 clean, A->X 50 clean + 100 stolen
         => X 130 (100 + 30), M nothing.
"""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from app.cli import main
from core.db import rows
from core.errors import InputError
from core.workspace import Workspace
from queries import runner
from queries.trace import trace
from tests.queries.builders import ts

TOKEN = "0x" + "7" * 40


def addr(c: str) -> str:
    return "0x" + c * 40


S, A, B, C, X, M, Z = (addr(c) for c in "5abc9ed")


@pytest.fixture
def graph(ws: Workspace) -> Workspace:
    return build_graph(ws)


def build_graph(ws: Workspace) -> Workspace:
    """Transfers from S through A, B, C to an exchange X and a mixer M (the hand-computed cases below)."""
    moves = [(10, Z, A, 100), (11, S, A, 100), (12, A, B, 50), (13, A, X, 150), (14, B, M, 50),
             (15, S, C, 30), (16, C, X, 30)]
    with ws.db.write() as con:
        for block, src, dst, value in moves:
            con.execute("INSERT INTO transfers VALUES (1, ?, ?, ?, ?, 0, NULL, 'erc20', ?, ?, ?, ?, ?, 'test',"
                        " NULL, NULL, 'run')",
                        [block, f"0xb{block}", ts("2023-01-01 00:00:00") + timedelta(minutes=block),
                         f"0x{block:064x}", TOKEN, src, dst, str(value * 10**18), value * 10**18])
        con.execute("INSERT INTO address_labels VALUES (NULL, ?, 'Exchange X hot wallet', 'exchange', 'test', 90),"
                    " (1, ?, 'Mixer M', 'mixer', 'test', 80), (NULL, ?, 'Exchange Z', 'exchange', 'test', 90)",
                    [X, M, Z])
    return ws


def _cash_out(result: object) -> dict[str, Decimal]:
    return {c.address: c.tainted_amount / 10**18 for c in result.cash_out_points}  # type: ignore[attr-defined]


def test_haircut(graph: Workspace) -> None:
    r = trace(graph, [S], "haircut", hops=5)
    assert _cash_out(r) == {X: Decimal(105), M: Decimal(25)}
    paths = {c.address: c.path_count for c in r.cash_out_points}
    assert paths == {X: 2, M: 1}
    by_pair = {(e.from_address, e.to_address): e.tainted / 10**18 for e in r.edges}
    assert by_pair == {(S, A): 100, (A, B): 25, (A, X): 75, (B, M): 25, (S, C): 30, (C, X): 30}
    assert {(e.from_address, e.hop) for e in r.edges} == {(S, 1), (A, 2), (B, 3), (C, 2)}


def test_poison(graph: Workspace) -> None:
    r = trace(graph, [S], "poison", hops=5)
    assert _cash_out(r) == {X: Decimal(180), M: Decimal(50)}


def test_fifo(graph: Workspace) -> None:
    r = trace(graph, [S], "fifo", hops=5)
    assert _cash_out(r) == {X: Decimal(130)}


def test_hop_limit(graph: Workspace) -> None:
    assert _cash_out(trace(graph, [S], "haircut", hops=1)) == {}
    assert _cash_out(trace(graph, [S], "haircut", hops=2)) == {X: Decimal(105)}


def test_backward_haircut(graph: Workspace) -> None:
    # What reached X (180) came from: S 105 (75 through A, 30 through C) and Z 75 (A's clean half).
    r = trace(graph, [X], "haircut", hops=3, direction="backward")
    assert _cash_out(r) == {Z: Decimal(75)}
    into_s = sum(e.tainted for e in r.edges if e.from_address == S) / 10**18
    assert into_s == Decimal(105)


def test_stored_trace_passes_conservation_audit_and_a_forged_edge_fails_it(graph: Workspace) -> None:
    for model in ("haircut", "fifo", "poison"):
        trace(graph, [S], model, hops=5)
    trace(graph, [X], "haircut", hops=3, direction="backward")
    with graph.db.read() as con:
        assert runner.run(con, "audits/haircut_not_conserved") == []
        tid = rows(con, "SELECT trace_id FROM trace_runs WHERE model = 'haircut' AND direction = 'forward'")[0]
        points = runner.run(con, "trace/cash_out_points", {"trace_id": tid["trace_id"]})
        flow = runner.run(con, "trace/flow_graph", {"trace_id": tid["trace_id"], "limit": 1000})
    assert [p["entity"] for p in points] == ["Exchange X hot wallet", "Mixer M"]
    assert len(flow) == 6
    with graph.db.write() as con:  # B passes on more than it ever received
        con.execute("UPDATE trace_edges SET tainted = tainted * 3 WHERE trace_id = ? AND from_address = ?",
                    [tid["trace_id"], B])
    with graph.db.read() as con:
        bad = runner.run(con, "audits/haircut_not_conserved")
    assert {r["address"] for r in bad} == {B}


def test_bad_seed_and_model(graph: Workspace) -> None:
    with pytest.raises(InputError, match="not a 0x-hex address"):
        trace(graph, ["0x123"], "haircut")
    with pytest.raises(InputError, match="unknown taint model"):
        trace(graph, [S], "lifo")


def test_cli_json(graph: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    code = main(["--db", str(graph.settings.db_path), "trace", "--from", S, "--model", "haircut", "--hops", "5",
                 "--json"])
    assert code == 0
    out = json.loads(capsys.readouterr().out)
    assert [(c["address"], c["tainted_amount"]) for c in out["cash_out_points"]] == [
        (X, str(105 * 10**18) + ".000000"), (M, str(25 * 10**18) + ".000000")]
    code = main(["--db", str(graph.settings.db_path), "trace", "--from", "nonsense", "--model", "haircut"])
    assert code == 1
    assert "not a 0x-hex address" in capsys.readouterr().err
