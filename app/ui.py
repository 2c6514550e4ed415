"""What every page shares: the workspace, the logged-in user, the page guard and one-sentence errors.

No page keeps a database connection between reruns: each action opens ``ws.db.read()`` or
``ws.db.write()`` and closes it, so ``keytrace ingest`` can run beside the app. A write that finds the
database busy waits for the lock under a spinner and is kept once it gets it.

User text is never rendered as HTML or Markdown: :func:`plain` shows it as text and :func:`md` escapes
it where it is part of a Markdown line.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import streamlit as st

from app import access, auth
from app.auth import User
from core.errors import DatabaseBusyError, KeytraceError, SecretRefusedError
from core.workspace import Workspace

TOKEN_KEY = "kt_token"  # noqa: S105 - the session_state key, not a secret
SAVING = "Saving (this waits its turn if an import is writing to the database)..."
T = TypeVar("T")
# Markdown, emoji/colour shortcodes (:red[...]) and LaTeX ($) that user text could otherwise trigger.
_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+|<>~$:!])")


def workspace() -> Workspace:
    """The workspace of the database the app serves (``KEYTRACE_DB``); holds no open connection."""
    return _workspace(os.environ.get("KEYTRACE_DB") or "")


@st.cache_resource(show_spinner=False)
def _workspace(db: str) -> Workspace:
    return Workspace.open(db or None, lock_timeout=float(os.environ.get("KEYTRACE_LOCK_TIMEOUT", "120")))


def current_user(ws: Workspace) -> User | None:
    """The user of this browser session, checked against the database on every rerun (expiry, logout)."""
    token = st.session_state.get(TOKEN_KEY)
    if not token:
        return None
    user = auth.session_user(ws, str(token))
    if user is None:
        del st.session_state[TOKEN_KEY]
    return user


def guard(page_key: str) -> tuple[Workspace, User]:
    """Stop the page unless a logged-in user whose role may open it is present."""
    ws = workspace()
    user = current_user(ws)
    if user is None:
        st.warning("Please log in to see this page.")
        st.stop()
    assert user is not None
    if not access.may_open(user.role, page_key):
        st.error("Your account cannot open this page.")
        st.stop()
    message = st.session_state.pop("kt_flash", None)
    if message:
        st.success(str(message))
    return ws, user


def flash(message: str) -> None:
    """A success message shown once, after the rerun that follows an action."""
    st.session_state["kt_flash"] = message


def md(text: object) -> str:
    """Escape text for a Markdown line so that user input stays literal."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def plain(text: str | None, empty: str = "(none)") -> None:
    """Show user text as plain text (never Markdown or HTML)."""
    st.text(text if text else empty)


def attempt(fn: Callable[[], T], *, waiting: str = "Working...") -> T | None:
    """Run one action; show a KeytraceError as one sentence and return None."""
    try:
        with st.spinner(waiting):
            return fn()
    except DatabaseBusyError as exc:
        st.error(md(sentence(str(exc))))
    except SecretRefusedError as exc:
        st.warning(md(sentence(str(exc))), icon=":material/shield:")
    except KeytraceError as exc:
        st.error(md(sentence(str(exc))))
    return None


def act(fn: Callable[[], object], *, waiting: str = SAVING) -> bool:
    """Run one write action; True when it succeeded (errors are shown as one sentence)."""
    done: list[bool] = []

    def wrapped() -> bool:
        fn()
        done.append(True)
        return True

    attempt(wrapped, waiting=waiting)
    return bool(done)


def sentence(text: str) -> str:
    """The text as a sentence: a capital first letter and a full stop, unless it starts with a file name
    (``evil.csv: ...``), which keeps its spelling."""
    text = text.strip()
    first = re.split(r"[\s:,]", text, maxsplit=1)[0]
    if not re.search(r"[.\\/_\d]", first):
        text = text[:1].upper() + text[1:]
    return text if text.endswith((".", "!", "?")) else text + "."


@contextmanager
def section(title: str) -> Iterator[None]:
    st.subheader(title)
    yield


def query_int(name: str) -> int | None:
    raw = st.query_params.get(name)
    if raw is None:
        return None
    try:
        return int(str(raw))
    except ValueError:
        return None


def table(data: list[dict[str, Any]], **kwargs: Any) -> None:
    """A read-only data frame (cells render as text, never HTML)."""
    import pandas as pd

    st.dataframe(pd.DataFrame(data), hide_index=True, width="stretch", **kwargs)


def plural(count: int, noun: str, many: str | None = None) -> str:
    """``1 row``, ``2 rows``, ``1,204 rows`` (``many`` for irregular plurals)."""
    return f"{count:,} {noun if count == 1 else (many or noun + 's')}"


def size(n_bytes: int | None) -> str:
    """A file size for people: 830 bytes, 12.4 KB, 1.2 MB (1 KB = 1,000 bytes)."""
    if n_bytes is None:
        return ""
    if n_bytes < 1000:
        return plural(int(n_bytes), "byte")
    value = float(n_bytes)
    for unit in ("KB", "MB", "GB", "TB"):
        value /= 1000
        if value < 999.95 or unit == "TB":
            return f"{value:,.1f} {unit}"
    raise AssertionError("unreachable")


def usd_short(value: object) -> str:
    """A USD amount short enough for a headline figure: $604.80, $12.3K, $2.39M, $1.05B (the exact
    amount belongs in the figure's help text)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    d = value if isinstance(value, Decimal) else Decimal(str(value or 0))
    sign = "-" if d < 0 else ""
    d = abs(d)
    if d < 10_000:
        return f"{sign}${d.quantize(Decimal('0.01'), ROUND_HALF_EVEN):,}"
    for unit, scale in (("B", Decimal(10) ** 9), ("M", Decimal(10) ** 6), ("K", Decimal(1000))):
        if d >= scale * Decimal("0.9995") or unit == "K":
            short = (d / scale).quantize(Decimal("0.01") if d < scale * 100 else Decimal("0.1"), ROUND_HALF_EVEN)
            return f"{sign}${short:,}{unit}"
    raise AssertionError("unreachable")


def usd_exact(value: object) -> str:
    """An exact USD amount with thousands separators, at least the cents and no trailing-zero noise
    beyond them: 604.80, 2,386,421.55213799."""
    from decimal import Decimal

    if value is None:
        return ""
    d = Decimal(dec(value))
    if d.as_tuple().exponent > -2:  # type: ignore[operator]
        d = d.quantize(Decimal("0.01"))  # exact: only adds zeros
    return format(d, ",f")


def dec(value: object) -> str:
    """An exact decimal as plain digits (no exponent, no trailing zeros): 0.0000009, 1250.5."""
    from decimal import Decimal

    from core.formatting import dec as exact

    if value is None:
        return ""
    return exact(value if isinstance(value, Decimal) else Decimal(str(value)))


def password_form(ws: Any, user: Any) -> None:
    """The sidebar's "Change password" for the logged-in user (their other sessions end)."""
    from app import auth

    with st.popover("Change password", icon=":material/password:"), st.form("kt_password"):
        current = st.text_input("Current password", type="password", key="kt_pw_current")
        new = st.text_input("New password", type="password", key="kt_pw_new")
        again = st.text_input("New password again", type="password", key="kt_pw_again")
        if not st.form_submit_button("Change password"):
            return
        if new != again:
            st.error("The two new passwords differ.")
        elif act(lambda: auth.change_password(ws, user, current, new,
                                              keep_token=str(st.session_state.get(TOKEN_KEY, "")))):
            st.success("Your password is changed; your other sessions have ended.")


def freshness_note(ws: Workspace, user: User) -> None:
    """When detection last ran and whether evidence came in since (on every page, in the sidebar)."""
    from app import analysis

    text, stale = analysis.freshness_text(analysis.freshness(ws), staff=user.is_staff)
    (st.warning if stale else st.caption)(text)


def token_amount(row: dict[str, Any], *, short: bool = False) -> str:
    """A traced amount as the reports show it, in token units with the token's symbol: "100,000 USDT"
    (exact; ``short`` rounds to cents, or four significant digits below 1, marked "~" when it rounds).
    ``row`` holds ``amount`` (token units when ``whole``, else raw units) and ``coin``."""
    from decimal import ROUND_HALF_EVEN, Decimal, localcontext

    shown, mark = Decimal(dec(row["amount"])), ""
    if short and shown:
        with localcontext(prec=100):
            step = Decimal("0.01") if abs(shown) >= 1 else Decimal(1).scaleb(shown.adjusted() - 3)
            rounded = shown.quantize(step, ROUND_HALF_EVEN)
        if rounded != shown:
            shown, mark = rounded, "~"
    unit = row["coin"] if row["whole"] else f"raw units of {row['coin']}"
    return f"{mark}{shown:,f} {unit}"
