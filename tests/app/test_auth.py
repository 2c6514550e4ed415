from __future__ import annotations

import dataclasses
from datetime import timedelta

import pytest

from app import auth
from core import audit
from core.errors import AccessDenied, InputError
from core.workspace import Workspace

PW = "a long enough password"


def test_register_login_and_the_session_token_is_stored_only_as_a_hash(ws: Workspace) -> None:
    victim = auth.register_victim(ws, username="Vera", password=PW, name="Vera V", email="vera@example.org")
    assert (victim.username, victim.role) == ("vera", "victim")
    user, token = auth.login(ws, "vera", PW)
    assert user == victim
    assert auth.session_user(ws, token) == victim
    with ws.db.read() as con:
        stored = con.execute("SELECT token_hash FROM sessions").fetchall()
        pw_hash, name_enc, email_enc = con.execute(
            "SELECT password_hash, name_enc, email_enc FROM users").fetchall()[0]
    assert stored == [(auth.hash_token(token),)] and token not in stored[0][0]
    assert pw_hash.startswith("$argon2id$") and PW not in pw_hash
    assert b"vera@example.org" not in bytes(email_enc) and b"Vera V" not in bytes(name_enc)
    assert ws.keys.open(email_enc, "users.email") == "vera@example.org"


def test_wrong_password_and_unknown_user_get_the_same_sentence(ws: Workspace) -> None:
    auth.register_victim(ws, username="vera", password=PW)
    with pytest.raises(AccessDenied) as a:
        auth.login(ws, "vera", "not the password")
    with pytest.raises(AccessDenied) as b:
        auth.login(ws, "nobody", "not the password")
    assert str(a.value) == str(b.value) == "the user name or password is wrong"


def test_failed_logins_are_throttled_then_the_lock_lifts(ws: Workspace) -> None:
    auth.register_victim(ws, username="vera", password=PW)
    for _ in range(4):
        with pytest.raises(AccessDenied, match="wrong"):
            auth.login(ws, "vera", "guess-guess")
    with pytest.raises(AccessDenied, match="locked for 15 minutes"):
        auth.login(ws, "vera", "guess-guess")
    with pytest.raises(AccessDenied, match="locked"):  # even the right password is refused while locked
        auth.login(ws, "vera", PW)
    with ws.db.write() as con:  # fifteen minutes later
        con.execute("UPDATE users SET locked_until = locked_until - INTERVAL 16 MINUTE")
    user, _ = auth.login(ws, "vera", PW)
    assert user.username == "vera"
    with ws.db.read() as con:
        actions = [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY seq").fetchall()]
        assert actions.count("auth.login_failed") == 5
        assert audit.verify(con, ws.keys, ws.settings) == len(actions)


def test_sessions_expire_and_end_at_logout(ws: Workspace) -> None:
    auth.register_victim(ws, username="vera", password=PW)
    short = Workspace(dataclasses.replace(ws.settings, sections={"app": {"session_hours": 0.5}}))
    _, token = auth.login(short, "vera", PW)
    with ws.db.read() as con:
        lifetime = con.execute("SELECT expires_at - created_at FROM sessions").fetchall()[0][0]
    assert lifetime == timedelta(minutes=30)
    assert auth.session_user(ws, token) is not None
    with ws.db.write() as con:  # half an hour later
        con.execute("UPDATE sessions SET expires_at = now() - INTERVAL 1 SECOND")
    assert auth.session_user(ws, token) is None
    _, token = auth.login(ws, "vera", PW)
    auth.logout(ws, token)
    assert auth.session_user(ws, token) is None
    assert auth.session_user(ws, "made-up-token") is None


def test_only_an_admin_creates_staff_and_victims_cannot_choose_a_role(ws: Workspace) -> None:
    victim = auth.register_victim(ws, username="vera", password=PW)
    admin = auth.create_user(ws, None, username="adam", password=PW, role="admin")
    inv = auth.create_user(ws, admin, username="ines", password=PW, role="investigator")
    assert inv.role == "investigator"
    with pytest.raises(AccessDenied):
        auth.create_user(ws, victim, username="mallory", password=PW, role="admin")
    with pytest.raises(AccessDenied):
        auth.create_user(ws, inv, username="mallory", password=PW, role="admin")
    with pytest.raises(InputError, match="unknown role"):
        auth.create_user(ws, admin, username="x-user", password=PW, role="root")
    with pytest.raises(InputError, match="taken"):
        auth.register_victim(ws, username="ADAM", password=PW)
    with pytest.raises(InputError, match="at least 10"):
        auth.register_victim(ws, username="shorty", password="short")
    with pytest.raises(InputError, match="user name"):
        auth.register_victim(ws, username="a b", password=PW)


def test_a_disabled_account_loses_its_sessions_and_cannot_log_in(ws: Workspace) -> None:
    auth.register_victim(ws, username="vera", password=PW)
    _, token = auth.login(ws, "vera", PW)
    auth.set_disabled(ws, None, "vera", True)
    assert auth.session_user(ws, token) is None
    with pytest.raises(AccessDenied, match="disabled"):
        auth.login(ws, "vera", PW)
