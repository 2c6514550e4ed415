"""Changing one's own password (the sidebar of every page) and an administrator's reset (`users passwd`)."""

from __future__ import annotations

import pytest

from app import auth
from app.cli import main
from core.errors import AccessDenied, InputError
from core.workspace import Workspace
from tests.app.conftest import PASSWORD, AppFor, People
from tests.app.test_pages import click

NEW = "another long passphrase"


def _actions(ws: Workspace) -> list[str]:
    with ws.db.read() as con:
        return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]


def test_a_user_changes_their_password_and_their_other_sessions_end(ws: Workspace, people: People) -> None:
    _, other = auth.login(ws, "vera", PASSWORD)
    _, this = auth.login(ws, "vera", PASSWORD)
    with pytest.raises(AccessDenied, match="the current password is wrong"):
        auth.change_password(ws, people.victim, "not it", NEW, keep_token=this)
    with pytest.raises(InputError, match="at least"):
        auth.change_password(ws, people.victim, PASSWORD, "short", keep_token=this)
    auth.change_password(ws, people.victim, PASSWORD, NEW, keep_token=this)
    assert auth.session_user(ws, this) is not None and auth.session_user(ws, other) is None
    with pytest.raises(AccessDenied):
        auth.login(ws, "vera", PASSWORD)
    assert auth.login(ws, "vera", NEW)[0].username == "vera"
    assert "auth.password_change_failed" in _actions(ws) and "auth.password_changed" in _actions(ws)


def test_guessing_the_current_password_locks_the_account(ws: Workspace, people: People) -> None:
    limit = auth.policy(ws).max_failed_logins
    for _ in range(limit - 1):
        with pytest.raises(AccessDenied, match="the current password is wrong"):
            auth.change_password(ws, people.victim, "guess", NEW)
    with pytest.raises(AccessDenied, match="the current password is wrong"):
        auth.change_password(ws, people.victim, "guess", NEW)
    with pytest.raises(AccessDenied, match="locked"):
        auth.change_password(ws, people.victim, PASSWORD, NEW)  # even the right one, until the lock lifts
    with pytest.raises(AccessDenied, match="locked"):
        auth.login(ws, "vera", PASSWORD)


def test_the_sidebar_changes_the_password(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator, "views/claims_queue.py")
    at.text_input(key="kt_pw_current").input(PASSWORD)
    at.text_input(key="kt_pw_new").input(NEW)
    at.text_input(key="kt_pw_again").input(NEW + "x")
    click(at, "Change password")
    assert [e.value for e in at.error] == ["The two new passwords differ."]
    at.text_input(key="kt_pw_again").input(NEW)
    click(at, "Change password")
    assert [s.value for s in at.success] == ["Your password is changed; your other sessions have ended."]
    assert not at.exception
    assert auth.login(ws, people.investigator.username, NEW)[0].role == "investigator"


def test_an_administrator_resets_a_password(ws: Workspace, people: People, monkeypatch: pytest.MonkeyPatch,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    _, token = auth.login(ws, "vera", PASSWORD)
    with pytest.raises(AccessDenied, match="only an administrator"):
        auth.reset_password(ws, people.investigator, "vera", NEW)
    monkeypatch.setenv("KEYTRACE_NEW_PASSWORD", NEW)
    assert main(["--db", str(ws.settings.db_path), "users", "passwd", "Vera"]) == 0
    assert capsys.readouterr().out == "New password set for vera; its sessions have ended.\n"
    assert auth.session_user(ws, token) is None
    assert auth.login(ws, "vera", NEW)[0].username == "vera"
    assert main(["--db", str(ws.settings.db_path), "users", "passwd", "nobody"]) == 1
    assert "there is no user 'nobody'" in capsys.readouterr().err
    assert "user.password_reset" in _actions(ws)
