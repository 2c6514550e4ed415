"""Login throttling holds under parallel guesses: the count is reserved atomically before argon2 runs."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from app import auth
from core import audit
from core.errors import AccessDenied
from core.workspace import Workspace

PW = "a long enough password"


class _CountingHasher:
    """Delegates to the real argon2 hasher and counts the passwords it checks."""

    def __init__(self, real: Any) -> None:
        self.real, self.checked, self._lock = real, 0, threading.Lock()

    def verify(self, h: str, password: str) -> bool:
        with self._lock:
            self.checked += 1
        return bool(self.real.verify(h, password))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real, name)


def _attempt(ws: Workspace, password: str, barrier: threading.Barrier | None = None) -> str:
    if barrier is not None:
        barrier.wait()
    try:
        auth.login(ws, "admin", password)
    except AccessDenied as exc:
        return str(exc)
    return "ok"


def test_parallel_wrong_logins_never_check_more_passwords_than_the_limit(
        ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    auth.create_user(ws, None, username="admin", password=PW, role="admin")
    limit = auth.policy(ws).max_failed_logins
    n = limit + 3
    hasher = _CountingHasher(auth._HASHER)
    monkeypatch.setattr(auth, "_HASHER", hasher)
    barrier = threading.Barrier(n)
    with ThreadPoolExecutor(max_workers=n) as pool:
        answers = list(pool.map(lambda i: _attempt(ws, f"wrong-{i}", barrier), range(n)))
    wrong = [a for a in answers if a == "the user name or password is wrong"]
    locked = [a for a in answers if a.startswith("too many failed logins: this account is locked")]
    assert len(wrong) + len(locked) == n, answers
    assert hasher.checked == limit, answers  # exactly the limit got their password checked
    assert len(wrong) == limit - 1 and len(locked) == n - limit + 1
    # the right password is refused, unchecked, while the lock holds
    assert "locked" in _attempt(ws, PW)
    assert hasher.checked == limit
    with ws.db.write() as con:  # the lock lifts
        con.execute("UPDATE users SET locked_until = locked_until - INTERVAL 16 MINUTE")
    assert _attempt(ws, PW) == "ok"
    with ws.db.read() as con:
        failed, until = con.execute("SELECT failed_logins, locked_until FROM users").fetchall()[0]
        actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
        assert (failed, until) == (0, None)
        assert actions.count("auth.login_failed") == limit
        assert audit.verify(con, ws.keys, ws.settings) == len(actions)


def test_a_correct_password_within_the_limit_resets_the_count(ws: Workspace) -> None:
    auth.create_user(ws, None, username="admin", password=PW, role="admin")
    limit = auth.policy(ws).max_failed_logins
    for round_ in range(2):
        for i in range(limit - 1):
            assert _attempt(ws, f"wrong-{round_}-{i}") == "the user name or password is wrong"
        assert _attempt(ws, PW) == "ok"
    with ws.db.read() as con:
        assert con.execute("SELECT failed_logins, locked_until FROM users").fetchall() == [(0, None)]
