from __future__ import annotations

from pathlib import Path

from core import evidence
from core.workspace import Workspace
from tests.app.conftest import AppFor, People


def test_home_page_shows_what_the_database_holds(ws: Workspace, tmp_path: Path, people: People,
                                                app_for: AppFor) -> None:
    f = tmp_path / "e.csv"
    f.write_text("x\n")
    with ws.db.write() as con:
        evidence.store(ws, con, f, kind="exchange_export", submitted_by="t")
    at = app_for(people.investigator)  # the incident overview is an investigator's first page
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Evidence files"] == "1"
    assert metrics["Trades"] == "0"
    assert metrics["Claims"] == "0"


def test_the_figures_are_not_shown_to_anyone_logged_out(ws: Workspace, app_for: AppFor) -> None:
    at = app_for(None)
    assert not at.exception
    assert not at.metric
    assert [b.label for b in at.button if b.label == "Log in"] or at.text_input(key="login_username")
