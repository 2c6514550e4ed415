"""Who may do what: the app's own list of pages and actions with the roles allowed for each.

Every page calls :func:`require_page` before it reads anything, and every function in
:mod:`app.claims` calls :func:`require` before its query, so a page that is reached by URL, by an old
session or by a crafted request still refuses a role that is not listed here. Victims additionally see
only their own claims: :mod:`app.claims` adds the owner to every victim query and answers "not found"
for anyone else's claim, so a claim number in the URL tells a victim nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import AccessDenied

VICTIM = "victim"
INVESTIGATOR = "investigator"
LEGAL = "legal"
ADMIN = "admin"
STAFF = frozenset({INVESTIGATOR, LEGAL, ADMIN})


@dataclass(frozen=True)
class PageRule:
    key: str
    title: str
    file: str           # relative to app/ (st.Page takes it relative to the entry script)
    roles: frozenset[str]
    icon: str
    group: str


# The order here is the order of the navigation menu.
PAGES: tuple[PageRule, ...] = (
    PageRule("claim_new", "File a claim", "views/claim_new.py", frozenset({VICTIM}), ":material/edit_note:",
             "My claims"),
    PageRule("my_claims", "Follow my claims", "views/my_claims.py", frozenset({VICTIM}),
             ":material/fact_check:", "My claims"),
    PageRule("overview", "Incident overview", "views/overview.py", STAFF, ":material/monitoring:", "Incident"),
    PageRule("campaigns", "Campaign timeline", "views/campaigns.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/timeline:", "Incident"),
    PageRule("account", "Account view", "views/account.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/candlestick_chart:", "Incident"),
    PageRule("key_lookup", "Key lookup", "views/key_lookup.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/key:", "Incident"),
    PageRule("fund_flow", "Fund flow", "views/fund_flow.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/account_tree:", "Incident"),
    PageRule("claims_queue", "Claims queue", "views/claims_queue.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/inbox:", "Claims"),
    PageRule("sql_console", "SQL console", "views/sql_console.py", frozenset({INVESTIGATOR, ADMIN}),
             ":material/terminal:", "Tools"),
    PageRule("reports", "Reports and bundles", "views/reports.py", frozenset({LEGAL, INVESTIGATOR, ADMIN}),
             ":material/description:", "Legal"),
    PageRule("users", "Accounts", "views/users.py", frozenset({ADMIN}), ":material/group:", "Administration"),
)

# Actions that the workflow functions check before they touch the database.
ACTIONS: dict[str, frozenset[str]] = {
    "claims.file": frozenset({VICTIM}),
    "claims.view_own": frozenset({VICTIM}),
    "claims.view_all": frozenset({INVESTIGATOR, LEGAL, ADMIN}),
    "claims.attach_upload": frozenset({VICTIM, INVESTIGATOR, ADMIN}),
    "claims.withdraw_upload": frozenset({VICTIM, INVESTIGATOR, ADMIN}),
    "claims.review_upload": frozenset({INVESTIGATOR, ADMIN}),
    "claims.prove_wallet": frozenset({VICTIM}),
    "claims.dispute": frozenset({VICTIM}),
    "claims.set_status": frozenset({INVESTIGATOR, ADMIN}),
    "claims.assign": frozenset({INVESTIGATOR, ADMIN}),
    "claims.note": frozenset({INVESTIGATOR, LEGAL, ADMIN}),
    "claims.read_notes": frozenset({INVESTIGATOR, LEGAL, ADMIN}),
    "claims.read_uploads": frozenset({INVESTIGATOR, LEGAL, ADMIN}),
    "analysis.read": frozenset({INVESTIGATOR, LEGAL, ADMIN}),
    "detection.run": frozenset({INVESTIGATOR, ADMIN}),
    "trace.run": frozenset({INVESTIGATOR, ADMIN}),
    "sql.console": frozenset({INVESTIGATOR, ADMIN}),
    "reports.generate": frozenset({LEGAL, INVESTIGATOR, ADMIN}),
    "users.create": frozenset({ADMIN}),
}

_BY_KEY = {p.key: p for p in PAGES}


def page(key: str) -> PageRule:
    return _BY_KEY[key]


def pages_for(role: str) -> list[PageRule]:
    """The pages a role may open, in menu order (every page's tables exist once the database is migrated,
    which `keytrace app` does before it serves)."""
    return [p for p in PAGES if role in p.roles]


def can(role: str | None, action: str) -> bool:
    return role is not None and role in ACTIONS[action]


def require(role: str | None, action: str) -> None:
    """Raise :class:`AccessDenied` unless ``role`` may perform ``action``."""
    if action not in ACTIONS:
        raise AccessDenied(f"unknown action {action!r}")
    if not can(role, action):
        raise AccessDenied("your account may not do this")


def may_open(role: str | None, key: str) -> bool:
    return role is not None and key in _BY_KEY and role in _BY_KEY[key].roles
