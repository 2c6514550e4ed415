from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from core import evidence
from core.workspace import Workspace

APP = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")


def test_home_page_shows_what_the_database_holds(ws: Workspace, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "e.csv"
    f.write_text("x\n")
    with ws.db.write() as con:
        evidence.store(ws, con, f, kind="exchange_export", submitted_by="t")
    monkeypatch.setenv("KEYTRACE_DB", str(ws.settings.db_path))
    at = AppTest.from_file(APP, default_timeout=30).run()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Evidence files"] == "1"
    assert metrics["Trades"] == "0"
