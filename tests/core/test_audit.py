from __future__ import annotations

import pytest

from core import audit
from core.errors import AuditChainBroken
from core.workspace import Workspace


def _fill(ws: Workspace, n: int = 5) -> None:
    for i in range(n):
        with ws.db.write() as con:
            audit.record(con, ws.keys, ws.settings, actor="inv", action="test.write", obj=f"thing:{i}",
                         details={"i": i})


def _verify(ws: Workspace) -> int:
    with ws.db.read() as con:
        return audit.verify(con, ws.keys, ws.settings)


def test_intact_chain_verifies(ws: Workspace) -> None:
    _fill(ws)
    assert _verify(ws) == 5


def test_rolled_back_entry_leaves_no_trace(ws: Workspace) -> None:
    _fill(ws, 2)
    with pytest.raises(RuntimeError), ws.db.write() as con:
        audit.record(con, ws.keys, ws.settings, actor="inv", action="x", obj="y")
        raise RuntimeError("boom")
    assert _verify(ws) == 2


def test_edited_entry_is_named(ws: Workspace) -> None:
    _fill(ws)
    with ws.db.write() as con:
        con.execute("UPDATE audit_log SET details = '{\"i\":99}' WHERE seq = 3")
    with pytest.raises(AuditChainBroken) as err:
        _verify(ws)
    assert err.value.seq == 3 and "changed" in str(err.value)


def test_deleted_entry_is_named(ws: Workspace) -> None:
    _fill(ws)
    with ws.db.write() as con:
        con.execute("DELETE FROM audit_log WHERE seq = 2")
    with pytest.raises(AuditChainBroken) as err:
        _verify(ws)
    assert err.value.seq == 2 and "missing" in str(err.value)


def test_deleted_tail_is_caught_by_the_head_anchor(ws: Workspace) -> None:
    _fill(ws)
    with ws.db.write() as con:
        con.execute("DELETE FROM audit_log WHERE seq >= 4")
    with pytest.raises(AuditChainBroken) as err:
        _verify(ws)
    assert err.value.seq == 4 and "deleted" in str(err.value)


def test_reordered_entries_are_named(ws: Workspace) -> None:
    _fill(ws)
    with ws.db.write() as con:
        con.execute("UPDATE audit_log SET seq = 100 WHERE seq = 2")
        con.execute("UPDATE audit_log SET seq = 2 WHERE seq = 3")
        con.execute("UPDATE audit_log SET seq = 3 WHERE seq = 100")
    with pytest.raises(AuditChainBroken) as err:
        _verify(ws)
    assert err.value.seq == 2 and "does not follow" in str(err.value)


def test_rewritten_chain_without_the_key_is_caught(ws: Workspace) -> None:
    _fill(ws, 3)
    with ws.db.write() as con:
        rows = con.execute("SELECT seq, at_utc, actor, action, object, prev_hash FROM audit_log ORDER BY seq").fetchall()
        prev = audit.GENESIS
        for seq, at, actor, action, obj, _ in rows:
            details = '{"i":0}'
            h = audit.entry_hash(prev, seq, at, actor, action, obj, details)
            con.execute("UPDATE audit_log SET details = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
                        [details, prev, h, seq])
            prev = h
    with pytest.raises(AuditChainBroken, match="seal"):
        _verify(ws)
