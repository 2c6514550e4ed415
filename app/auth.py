"""Local accounts: argon2id password hashes, four roles, throttled logins and expiring sessions.

* Victims register themselves (:func:`register_victim`); an administrator creates staff accounts
  (:func:`create_user`, also ``keytrace users add``). Roles: victim, investigator, legal, admin.
* Passwords are stored only as argon2id hashes (argon2-cffi's defaults: RFC 9106 low-memory profile).
* Failed logins are throttled per account: after ``max_failed_logins`` failures in a row the account
  is locked for ``lockout_minutes``. Each attempt is counted atomically before its password is checked,
  so parallel guesses cannot exceed the limit; an unknown user name costs the same hashing work as a known one,
  so timing does not tell which names exist.
* A login returns a random session token; the database keeps only its SHA-256 (``sessions``), so a
  copy of the database cannot be used to take over a session. Sessions expire after
  ``session_hours`` and on logout.

Settings come from the ``[app]`` table of keytrace.toml. Organisations with an identity provider can
use Streamlit's OIDC login instead: see docs/app-single-sign-on.md.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from core import audit
from core.db import rows, utcnow
from core.errors import AccessDenied, InputError, NotFound
from core.workspace import Workspace

ROLES = ("victim", "investigator", "legal", "admin")
STAFF_ROLES = ("investigator", "legal", "admin")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._-]{2,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MIN_PASSWORD = 10

_HASHER = PasswordHasher()  # argon2id
_DUMMY_HASH = _HASHER.hash("keytrace-no-such-user")


@dataclass(frozen=True)
class User:
    id: int
    username: str
    role: str

    @property
    def actor(self) -> str:
        """How this person appears in the audit trail and the custody log."""
        return "cli:local-admin" if self.id == 0 else f"user:{self.id}:{self.username}"

    @property
    def is_staff(self) -> bool:
        return self.role in STAFF_ROLES


# The command line acts as the local administrator of the database it opens (ARCHITECTURE.md).
CLI_ADMIN = User(0, "local-admin", "admin")


@dataclass(frozen=True)
class AuthPolicy:
    max_failed_logins: int = 5
    lockout_minutes: int = 15
    session_hours: float = 8.0


def policy(ws: Workspace) -> AuthPolicy:
    cfg: dict[str, Any] = ws.settings.section("app")
    return AuthPolicy(max_failed_logins=int(cfg.get("max_failed_logins", 5)),
                      lockout_minutes=int(cfg.get("lockout_minutes", 15)),
                      session_hours=float(cfg.get("session_hours", 8.0)))


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _check_username(username: str) -> str:
    name = username.strip().lower()
    if not USERNAME.match(name):
        raise InputError("a user name has 3 to 40 characters: lower-case letters, digits, '.', '_' or '-', "
                         "starting with a letter or digit", column="username")
    return name


def _check_password(password: str, username: str) -> None:
    if len(password) < MIN_PASSWORD:
        raise InputError(f"the password must have at least {MIN_PASSWORD} characters", column="password")
    if username in password.lower():
        raise InputError("the password must not contain the user name", column="password")


def _insert_user(ws: Workspace, *, username: str, password: str, role: str, name: str | None,
                 email: str | None, actor: str) -> User:
    if role not in ROLES:
        raise InputError(f"unknown role {role!r}; the roles are {', '.join(ROLES)}", column="role")
    username = _check_username(username)
    _check_password(password, username)
    email = email.strip().lower() if email and email.strip() else None
    if email is not None and not EMAIL.match(email):
        raise InputError("the e-mail address is not valid", column="email")
    pw_hash = _HASHER.hash(password)
    with ws.db.write() as con:
        if con.execute("SELECT 1 FROM users WHERE username = ?", [username]).fetchall():
            raise InputError(f"the user name {username!r} is taken; choose another", column="username")
        uid = int(con.execute(
            "INSERT INTO users (username, role, password_hash, name_enc, email_enc, email_index, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
            [username, role, pw_hash, ws.keys.seal(name.strip() if name else None, "users.name"),
             ws.keys.seal(email, "users.email"),
             ws.keys.lookup_index(email, "users.email") if email else None, utcnow()]).fetchall()[0][0])
        user = User(uid, username, role)
        audit.record(con, ws.keys, ws.settings, actor=actor if actor != "self" else user.actor,
                     action="user.created", obj=f"user:{uid}", details={"role": role})
    return user


def register_victim(ws: Workspace, *, username: str, password: str, name: str | None = None,
                    email: str | None = None) -> User:
    """Self-registration: always creates a victim account."""
    return _insert_user(ws, username=username, password=password, role="victim", name=name, email=email,
                        actor="self")


def create_user(ws: Workspace, actor: User | None, *, username: str, password: str, role: str,
                name: str | None = None, email: str | None = None) -> User:
    """An administrator creates an account of any role. ``actor=None`` is the local command line."""
    if actor is not None and actor.role != "admin":
        raise AccessDenied("only an administrator can create accounts")
    return _insert_user(ws, username=username, password=password, role=role, name=name, email=email,
                        actor=actor.actor if actor else "cli:local-admin")


def _locked_sentence(locked_until: datetime, now: datetime) -> str:
    minutes = max(1, int((locked_until - now).total_seconds() // 60) + 1)
    return f"too many failed logins: this account is locked for {minutes} more minute{'s' if minutes != 1 else ''}"


def _reserve_attempt(ws: Workspace, user_id: int, pol: AuthPolicy, now: datetime) -> int | None:
    """Count one login attempt before its password is checked; return its number, or None when locked.

    Check and increment are one statement under the write lock, so parallel attempts cannot all read
    the same old count: at most ``max_failed_logins`` attempts in a row get their password checked, and
    the one that reaches the limit locks the account (a correct password then resets both).
    """
    with ws.db.write() as con:
        attempt = "CASE WHEN locked_until IS NOT NULL THEN 1 ELSE failed_logins + 1 END"  # an expired lock starts over
        got = con.execute(
            f"UPDATE users SET failed_logins = {attempt}, "
            f"locked_until = CASE WHEN {attempt} >= ? THEN ? ELSE NULL END "
            "WHERE id = ? AND (locked_until IS NULL OR locked_until <= ?) RETURNING failed_logins",
            [pol.max_failed_logins, now + timedelta(minutes=pol.lockout_minutes), user_id, now]).fetchall()
    return int(got[0][0]) if got else None


def login(ws: Workspace, username: str, password: str) -> tuple[User, str]:
    """Check a password; return the user and a new session token (only its hash is stored).

    Raises :class:`AccessDenied` with one sentence that does not say whether the name exists.
    """
    pol = policy(ws)
    name = username.strip().lower()
    with ws.db.read() as con:
        found = rows(con, "SELECT id, username, role, password_hash, disabled, locked_until "
                          "FROM users WHERE username = ?", [name])
    now = utcnow()
    if not found:
        try:
            _HASHER.verify(_DUMMY_HASH, password)
        except VerificationError:
            pass
        raise AccessDenied("the user name or password is wrong")
    u = found[0]
    if u["locked_until"] is not None and u["locked_until"] > now:
        raise AccessDenied(_locked_sentence(u["locked_until"], now))
    attempt = _reserve_attempt(ws, int(u["id"]), pol, now)
    if attempt is None:  # a parallel attempt locked the account after we read it
        with ws.db.read() as con:
            again = con.execute("SELECT locked_until FROM users WHERE id = ?", [u["id"]]).fetchall()
        if not again or again[0][0] is None:
            raise AccessDenied("the user name or password is wrong")
        raise AccessDenied(_locked_sentence(again[0][0], now))
    # argon2 is slow on purpose: the password is checked outside the lock, for a reserved attempt only
    try:
        ok: bool = _HASHER.verify(u["password_hash"], password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    if not ok:
        locked = attempt >= pol.max_failed_logins
        with ws.db.write() as con:
            audit.record(con, ws.keys, ws.settings, actor=f"user:{u['id']}:{u['username']}",
                         action="auth.login_failed", obj=f"user:{u['id']}", details={"locked": locked})
        if locked:
            raise AccessDenied(f"too many failed logins: this account is locked for {pol.lockout_minutes} minutes")
        raise AccessDenied("the user name or password is wrong")
    user = User(int(u["id"]), str(u["username"]), str(u["role"]))
    if u["disabled"]:
        with ws.db.write() as con:  # the password was right: the attempt does not count as a failure
            con.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [user.id])
        raise AccessDenied("this account is disabled; ask an administrator")
    token = secrets.token_urlsafe(32)
    rehashed = _HASHER.hash(password) if _HASHER.check_needs_rehash(u["password_hash"]) else None
    with ws.db.write() as con:
        con.execute("UPDATE users SET failed_logins = 0, locked_until = NULL WHERE id = ?", [user.id])
        con.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    [hash_token(token), user.id, now, now + timedelta(hours=pol.session_hours)])
        if rehashed is not None:
            con.execute("UPDATE users SET password_hash = ? WHERE id = ?", [rehashed, user.id])
        audit.record(con, ws.keys, ws.settings, actor=user.actor, action="auth.login", obj=f"user:{user.id}")
    return user, token


def login_sso(ws: Workspace, email: str) -> tuple[User, str]:
    """Single sign-on: the organisation's identity provider (Streamlit's OIDC ``st.login``) has verified
    ``email``; it maps to the staff account an administrator created with that e-mail address.

    Victims keep local accounts; an unknown, victim or disabled account gets no session.
    """
    address = email.strip().lower()
    if not address or not EMAIL.match(address):
        raise AccessDenied("the identity provider did not give an e-mail address")
    with ws.db.read() as con:
        found = rows(con, "SELECT id, username, role, disabled FROM users WHERE email_index = ?",
                     [ws.keys.lookup_index(address, "users.email")])
    staff = [u for u in found if u["role"] in STAFF_ROLES and not u["disabled"]]
    if len(staff) != 1:
        raise AccessDenied("no keytrace staff account has this e-mail address; ask an administrator to create one")
    u = staff[0]
    user = User(int(u["id"]), str(u["username"]), str(u["role"]))
    token = secrets.token_urlsafe(32)
    now = utcnow()
    with ws.db.write() as con:
        con.execute("INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
                    [hash_token(token), user.id, now, now + timedelta(hours=policy(ws).session_hours)])
        audit.record(con, ws.keys, ws.settings, actor=user.actor, action="auth.login_sso", obj=f"user:{user.id}")
    return user, token


def session_user(ws: Workspace, token: str | None) -> User | None:
    """The user a session token belongs to, or None when it is unknown, expired, revoked or disabled."""
    if not token:
        return None
    with ws.db.read() as con:
        found = rows(con, "SELECT u.id, u.username, u.role FROM sessions s JOIN users u ON u.id = s.user_id "
                          "WHERE s.token_hash = ? AND NOT s.revoked AND s.expires_at > ? AND NOT u.disabled",
                     [hash_token(token), utcnow()])
    if not found:
        return None
    return User(int(found[0]["id"]), str(found[0]["username"]), str(found[0]["role"]))


def logout(ws: Workspace, token: str) -> None:
    with ws.db.write() as con:
        found = con.execute("SELECT user_id FROM sessions WHERE token_hash = ? AND NOT revoked",
                            [hash_token(token)]).fetchall()
        if not found:
            return
        con.execute("UPDATE sessions SET revoked = true WHERE token_hash = ?", [hash_token(token)])
        audit.record(con, ws.keys, ws.settings, actor=f"user:{found[0][0]}", action="auth.logout",
                     obj=f"user:{found[0][0]}")


def set_disabled(ws: Workspace, actor: User | None, username: str, disabled: bool) -> None:
    if actor is not None and actor.role != "admin":
        raise AccessDenied("only an administrator can disable accounts")
    with ws.db.write() as con:
        found = con.execute("SELECT id FROM users WHERE username = ?", [username.strip().lower()]).fetchall()
        if not found:
            raise NotFound(f"there is no user {username!r}")
        uid = int(found[0][0])
        con.execute("UPDATE users SET disabled = ? WHERE id = ?", [disabled, uid])
        if disabled:
            con.execute("UPDATE sessions SET revoked = true WHERE user_id = ?", [uid])
        audit.record(con, ws.keys, ws.settings, actor=actor.actor if actor else "cli:local-admin",
                     action="user.disabled" if disabled else "user.enabled", obj=f"user:{uid}")


def change_password(ws: Workspace, user: User, current: str, new: str, *, keep_token: str | None = None) -> None:
    """A logged-in user replaces their own password. The current one is checked and counted like a login
    (so a stolen session cannot guess it freely); every other session of the user ends."""
    pol = policy(ws)
    with ws.db.read() as con:
        found = rows(con, "SELECT username, password_hash FROM users WHERE id = ?", [user.id])
    if not found:
        raise NotFound("this account no longer exists")
    _check_password(new, str(found[0]["username"]))
    now = utcnow()
    attempt = _reserve_attempt(ws, user.id, pol, now)
    if attempt is None:
        raise AccessDenied("too many wrong passwords: this account is locked for a while; try again later")
    try:
        ok: bool = _HASHER.verify(found[0]["password_hash"], current)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        ok = False
    with ws.db.write() as con:
        if not ok:
            audit.record(con, ws.keys, ws.settings, actor=user.actor, action="auth.password_change_failed",
                         obj=f"user:{user.id}", details={"locked": attempt >= pol.max_failed_logins})
        else:
            con.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
                        [_HASHER.hash(new), user.id])
            con.execute("UPDATE sessions SET revoked = true WHERE user_id = ? AND token_hash <> ?",
                        [user.id, hash_token(keep_token) if keep_token else ""])
            audit.record(con, ws.keys, ws.settings, actor=user.actor, action="auth.password_changed",
                         obj=f"user:{user.id}")
    if not ok:
        raise AccessDenied("the current password is wrong")


def reset_password(ws: Workspace, actor: User | None, username: str, new: str) -> None:
    """An administrator (or the command line) sets a new password for an account: its lock-out is lifted
    and all its sessions end."""
    if actor is not None and actor.role != "admin":
        raise AccessDenied("only an administrator can reset passwords")
    name = username.strip().lower()
    _check_password(new, name)
    with ws.db.write() as con:
        found = con.execute("SELECT id FROM users WHERE username = ?", [name]).fetchall()
        if not found:
            raise NotFound(f"there is no user {username!r}")
        uid = int(found[0][0])
        con.execute("UPDATE users SET password_hash = ?, failed_logins = 0, locked_until = NULL WHERE id = ?",
                    [_HASHER.hash(new), uid])
        con.execute("UPDATE sessions SET revoked = true WHERE user_id = ?", [uid])
        audit.record(con, ws.keys, ws.settings, actor=actor.actor if actor else "cli:local-admin",
                     action="user.password_reset", obj=f"user:{uid}")


def list_users(ws: Workspace, actor: User | None, role: str | None = None) -> list[dict[str, Any]]:
    """Accounts without personal data (id, user name, role, created, disabled). Staff only."""
    if actor is not None and not actor.is_staff:
        raise AccessDenied("only staff can list accounts")
    with ws.db.read() as con:
        return rows(con, "SELECT id, username, role, created_at, disabled FROM users "
                         "WHERE (? IS NULL OR role = ?) ORDER BY id", [role, role])


def session_expiry(ws: Workspace, token: str) -> datetime | None:
    with ws.db.read() as con:
        found = con.execute("SELECT expires_at FROM sessions WHERE token_hash = ?", [hash_token(token)]).fetchall()
    return found[0][0] if found else None
