"""The authorisation matrix: every page and every action of app/access.py against every role.

Driven from the code's own lists: a view file that is not in ``access.PAGES`` (or does not guard itself
with its own key), or an action in ``access.ACTIONS`` (or used in a ``require``) without an exerciser
here, fails the test, so a new page or action cannot ship without a rule and a check of it.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from app import access, analysis, auth, claim_findings, claims, reports_access, sql_console, uploads
from app.auth import User
from core.errors import AccessDenied, KeytraceError, NotFound
from core.workspace import Workspace
from tests.app.conftest import APP_DIR, PASSWORD, AppFor, People
from tests.security.conftest import TRADES, Report

ROLES = (access.VICTIM, access.INVESTIGATOR, access.LEGAL, access.ADMIN)
# view modules that are not pages of a logged-in role: shown to everyone before log-in, or a helper
NOT_ROLE_PAGES = {"login.py": "public: log-in form", "register.py": "public: victim registration",
                  "home.py": "helper module imported by overview.py, never a page", "__init__.py": "package"}
SECRET_STATEMENT = "statement-only-the-owner-and-staff-may-read"


def _file(ws: Workspace, p: People) -> int:
    return claims.file_claim(ws, p.victim, exchange="binance", account="38811234",
                             contact_email="vera@example.org", statement=SECRET_STATEMENT,
                             claimed_loss_usd="1000")


Exerciser = Callable[[Workspace, User, int], Any]


def _read_upload(ws: Workspace, u: User, c: int) -> object:
    """Past the access check, a claim without that upload answers NotFound: that is allowed."""
    try:
        return uploads.upload_content(ws, u, c, "0" * 64)
    except NotFound:
        return None

def _withdraw_upload(ws: Workspace, u: User, c: int) -> object:
    """Past the access check, a claim without that upload answers NotFound: that is allowed."""
    try:
        return uploads.withdraw_upload(ws, u, c, "0" * 64)
    except NotFound:
        return None


def _review_upload(ws: Workspace, u: User, c: int) -> object:
    try:
        return uploads.review_upload(ws, u, c, "0" * 64, accept=True)
    except NotFound:
        return None


def _run_trace(ws: Workspace, u: User, c: int) -> object:
    """Past the access check, a seed with no transfer may be refused as input: that is allowed."""
    try:
        return analysis.run_trace(ws, u, ["0x" + "11" * 20], "haircut", 2)
    except KeytraceError as exc:
        if isinstance(exc, AccessDenied):
            raise
        return None

EXERCISE: dict[str, Exerciser] = {
    "claims.file": lambda ws, u, c: claims.file_claim(ws, u, exchange="kucoin", account="77",
                                                      contact_email="x@example.org"),
    "claims.view_own": lambda ws, u, c: claims.get_claim(ws, u, c),
    "claims.view_all": lambda ws, u, c: claims.list_claims(ws, u),
    "claims.attach_upload": lambda ws, u, c: uploads.attach_upload(ws, u, c, TRADES),
    "claims.withdraw_upload": _withdraw_upload,
    "claims.review_upload": _review_upload,
    "claims.prove_wallet": lambda ws, u, c: claims.wallet_challenge(ws, u, c, "0x" + "ab" * 20),
    "claims.dispute": lambda ws, u, c: claims.dispute(ws, u, c, "the computed loss is too low"),
    "claims.set_status": lambda ws, u, c: claims.set_status(ws, u, c, "in_review"),
    "claims.assign": lambda ws, u, c: claims.assign(ws, u, c, "ines"),
    "claims.note": lambda ws, u, c: claims.add_note(ws, u, c, "called the victim"),
    "claims.read_notes": lambda ws, u, c: claim_findings.assessment(ws, u, c),
    "claims.read_uploads": _read_upload,
    "analysis.read": lambda ws, u, c: analysis.run(ws, u, "pages/overview_totals"),
    "detection.run": lambda ws, u, c: analysis.run_detection(ws, u),
    "trace.run": _run_trace,
    "sql.console": lambda ws, u, c: sql_console.run_query(ws, u, "SELECT count(*) FROM trades"),
    "reports.generate": lambda ws, u, c: reports_access.stored(ws, u),
    "users.create": lambda ws, u, c: auth.create_user(ws, u, username=f"new{u.role}", password="x" * 20,
                                                      role="investigator"),
}
# Reading claims is allowed through either rule: staff read every claim, a victim only their own.
EXPECTED_OVERRIDE = {"claims.view_own": access.ACTIONS["claims.view_own"] | access.ACTIONS["claims.view_all"],
                     "claims.view_all": access.ACTIONS["claims.view_own"] | access.ACTIONS["claims.view_all"]}


def _view_files() -> list[str]:
    return sorted(p.name for p in (APP_DIR / "views").glob("*.py"))


def test_every_view_file_is_a_page_with_a_rule_or_a_named_exception() -> None:
    rules = {Path(p.file).name for p in access.PAGES}
    for name in _view_files():
        assert name in rules or name in NOT_ROLE_PAGES, f"views/{name} has no rule in app/access.PAGES"
    for p in access.PAGES:
        assert (APP_DIR / p.file).is_file(), p.file
        assert p.roles and p.roles <= set(ROLES), p.key
    assert len({p.key for p in access.PAGES}) == len(access.PAGES)


@pytest.mark.parametrize("rule", access.PAGES, ids=lambda r: r.key)
def test_every_page_guards_itself_with_its_own_key_before_anything_else(rule: access.PageRule) -> None:
    tree = ast.parse((APP_DIR / rule.file).read_text())
    guards = [n for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Attribute)
              and n.func.attr == "guard"]
    assert guards, f"{rule.file} never calls ui.guard"
    assert all(isinstance(g.args[0], ast.Constant) and g.args[0].value == rule.key for g in guards), rule.file


def test_every_action_in_the_code_has_a_rule_and_every_rule_an_exerciser() -> None:
    used: set[str] = set()
    for path in [*(APP_DIR.glob("*.py")), *(APP_DIR / "views").glob("*.py"), *(APP_DIR / "commands").glob("*.py")]:
        used |= set(re.findall(r"access\.(?:require|can)\([^,]+,\s*\"([a-z_.]+)\"\)", path.read_text()))
    assert used, "no access checks found: the pattern above is out of date"
    assert used <= set(access.ACTIONS), used - set(access.ACTIONS)
    assert set(EXERCISE) == set(access.ACTIONS), set(access.ACTIONS) ^ set(EXERCISE)
    with pytest.raises(AccessDenied):
        access.require(access.ADMIN, "no.such.action")
    for action in access.ACTIONS:
        assert not access.can(None, action)


def _audit_and_claims(ws: Workspace) -> tuple[int, int, int]:
    with ws.db.read() as con:
        return tuple(int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])  # type: ignore[return-value]
                     for t in ("audit_log", "claims", "claim_notes"))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(access.ACTIONS))
def test_action_matrix(ws: Workspace, people: People, action: str, role: str) -> None:
    claim = _file(ws, people)
    actor = people.of(role)
    allowed = role in EXPECTED_OVERRIDE.get(action, access.ACTIONS[action])
    before = _audit_and_claims(ws)
    if allowed:
        try:
            EXERCISE[action](ws, actor, claim)
        except AccessDenied as exc:  # pragma: no cover - the failure message
            raise AssertionError(f"{role} may {action} by the rules but was refused: {exc}") from exc
    else:
        with pytest.raises(AccessDenied):
            EXERCISE[action](ws, actor, claim)
        assert _audit_and_claims(ws) == before, "a refused action changed the database"


@pytest.mark.parametrize("action", ["claims.view_own", "claims.dispute", "claims.prove_wallet",
                                    "claims.attach_upload"])
def test_another_victims_claim_is_not_found_never_forbidden(ws: Workspace, people: People, action: str) -> None:
    claim = _file(ws, people)
    before = _audit_and_claims(ws)
    with pytest.raises(KeytraceError) as info:
        EXERCISE[action](ws, people.other_victim, claim)
    assert type(info.value).__name__ == "NotFound"
    assert SECRET_STATEMENT not in str(info.value)
    assert _audit_and_claims(ws) == before
    assert claims.list_claims(ws, people.other_victim) == []


def test_page_matrix_in_the_app(ws: Workspace, people: People, app_for: AppFor,
                                monkeypatch: pytest.MonkeyPatch, report: Report) -> None:
    """Every page file opened directly (a crafted URL or an old session) by every role it does not list:
    the refusal is shown and no data. (Pages opened by their own roles are tested in tests/app.)"""
    from streamlit.testing.v1 import AppTest

    _file(ws, people)
    app_for(None)  # sets the environment the app reads (database, lock timeout)
    tokens = {role: auth.login(ws, people.of(role).username, PASSWORD)[1] for role in ROLES}
    refused = 0
    for rule in access.PAGES:
        for role in ROLES:
            if role in rule.roles:
                continue
            at = AppTest.from_file(str(APP_DIR / rule.file), default_timeout=60)
            at.session_state["kt_token"] = tokens[role]
            at.run()
            assert not at.exception, (rule.key, role, at.exception)
            refused += 1
            assert [e.value for e in at.error] == ["Your account cannot open this page."], (rule.key, role)
            assert not at.dataframe and not at.metric and not at.table and not at.text_area, (rule.key, role)
            shown = "\n".join(str(e.value) for e in (*at.markdown, *at.text, *at.caption, *at.code))
            assert SECRET_STATEMENT not in shown and "vera@example.org" not in shown, (rule.key, role)
    assert refused == sum(len(set(ROLES) - r.roles) for r in access.PAGES) > 0
    report(f"access matrix: {len(access.PAGES)} pages x {len(ROLES)} roles: {refused} denied page openings "
           f"showed the refusal and no data; {len(access.ACTIONS)} actions x {len(ROLES)} roles = "
           f"{len(access.ACTIONS) * len(ROLES)} action checks")


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_holds_exactly_the_pages_of_the_role(people: People, app_for: AppFor, role: str) -> None:
    at = app_for(people.of(role))
    assert not at.exception
    for rule in access.PAGES:
        if role in rule.roles:
            at.switch_page(rule.file)  # present in this role's navigation
        else:
            with pytest.raises(ValueError, match="Could not find a navigation page"):
                at.switch_page(rule.file)


def test_a_forged_expired_or_revoked_session_token_is_logged_out(ws: Workspace, people: People, app_for: AppFor) -> None:
    """The session token is checked against the database on every run: a guessed token, a logged-out one and
    one of a disabled account all land on the log-in page, and a page opened directly shows no data."""
    from streamlit.testing.v1 import AppTest

    from tests.app.conftest import APP

    _file(ws, people)
    app_for(None)
    _, revoked = auth.login(ws, "ines", PASSWORD)
    auth.logout(ws, revoked)
    _, disabled = auth.login(ws, "lena", PASSWORD)
    auth.set_disabled(ws, None, "lena", True)
    for token in ("0" * 43, "forged-token", revoked, disabled):
        at = AppTest.from_file(APP, default_timeout=60)
        at.session_state["kt_token"] = token
        at.run()
        assert not at.exception
        assert at.text_input(key="login_username") is not None
        page = AppTest.from_file(str(APP_DIR / "views" / "claims_queue.py"), default_timeout=60)
        page.session_state["kt_token"] = token
        page.run()
        assert [w.value for w in page.warning] == ["Please log in to see this page."]
        assert not page.dataframe and not page.metric
