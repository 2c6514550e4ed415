"""Fixtures for the app's tests: real accounts in a real database, and AppTest logged in as each role."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from app import auth
from app.auth import User
from core.config import load_settings
from core.workspace import Workspace

APP_DIR = Path(__file__).resolve().parents[2] / "app"
APP = str(APP_DIR / "streamlit_app.py")
PASSWORD = "a long enough password"


@dataclass
class People:
    victim: User
    other_victim: User
    investigator: User
    legal: User
    admin: User

    def of(self, role: str) -> User:
        return {"victim": self.victim, "investigator": self.investigator, "legal": self.legal,
                "admin": self.admin}[role]


def _make_people(ws: Workspace) -> People:
    return People(
        victim=auth.register_victim(ws, username="vera", password=PASSWORD, email="vera@example.org"),
        other_victim=auth.register_victim(ws, username="otto", password=PASSWORD),
        investigator=auth.create_user(ws, None, username="ines", password=PASSWORD, role="investigator"),
        legal=auth.create_user(ws, None, username="lena", password=PASSWORD, role="legal"),
        admin=auth.create_user(ws, None, username="adam", password=PASSWORD, role="admin"),
    )


@pytest.fixture(scope="session")
def _people_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, People]:
    """One database with the five accounts, made once (argon2 is slow on purpose) and copied per test."""
    folder = tmp_path_factory.mktemp("people")
    env = {"KEYTRACE_CONFIG": str(folder / "none.toml")}
    (folder / "none.toml").write_text("")
    template = Workspace(load_settings(folder / "case.duckdb", env=env), lock_timeout=10)
    template.init()
    return folder, _make_people(template)


@pytest.fixture
def people(ws: Workspace, _people_template: tuple[Path, People]) -> People:
    """The five accounts (two victims, investigator, legal, admin) in the test's own database."""
    folder, made = _people_template
    s = ws.settings
    for name, dest in (("case.duckdb", s.db_path), ("case.duckdb.key", s.key_file),
                       ("case.duckdb.audit-head", s.audit_anchor_path)):
        shutil.copyfile(folder / name, dest)
    os.chmod(s.key_file, 0o600)
    ws.__dict__.pop("keys", None)  # the copied key file replaces the one init made
    return made


AppFor = Callable[..., AppTest]


@pytest.fixture
def app_for(ws: Workspace, people: People, monkeypatch: pytest.MonkeyPatch) -> AppFor:
    """``app_for(user_or_None, page=None)``: an AppTest logged in (with a real session token), run once,
    switched to ``page`` (a file under app/, e.g. "views/claims_queue.py") and run again."""
    monkeypatch.setenv("KEYTRACE_DB", str(ws.settings.db_path))
    monkeypatch.setenv("KEYTRACE_LOCK_TIMEOUT", "10")

    def make(user: User | None, page: str | None = None, *, query: dict[str, str] | None = None,
             file: str = APP) -> AppTest:
        at = AppTest.from_file(file, default_timeout=60)
        if user is not None:
            _, token = auth.login(ws, user.username, PASSWORD)
            at.session_state["kt_token"] = token
        if query:
            at.query_params.update(query)
        at.run()
        if page is not None:
            at.switch_page(page).run()
        return at

    return make
