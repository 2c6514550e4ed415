"""Staleness: every page says when detection last ran on how much data; investigators run detection and a
trace from the app; reports flag findings that evidence came in after."""

from __future__ import annotations

import io
from pathlib import Path

import pypdf
import pytest

from app import analysis
from app.cli import main
from core.errors import AccessDenied
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.app.conftest import AppFor, People

FIX = Path(__file__).resolve().parent.parent / "fixtures" / "exchange_exports"


def _notes(at: object) -> list[str]:
    side = at.sidebar  # type: ignore[attr-defined]
    return [str(x.value) for x in (*side.caption, *side.warning)]


def test_pages_say_when_detection_ran_and_investigators_rerun_it(ws: Workspace, people: People,
                                                               app_for: AppFor) -> None:
    ingest_file(ws, FIX / "kucoin_filled_orders_utc3.csv")
    at = app_for(people.investigator, "views/overview.py")
    assert not at.exception
    assert "Detection has not run yet: no finding is computed." in _notes(at)
    assert [w.value for w in at.sidebar.warning] == ["Detection has not run yet: no finding is computed."]

    at.button(key="ov_detect").click().run()
    assert not at.exception
    [done] = [s.value for s in at.success]
    assert done.startswith("Detection scored 2 executions: 0 unauthorised trades in 0 accounts")
    fresh = app_for(people.investigator, "views/account.py")
    [note] = [n for n in _notes(fresh) if n.startswith("Detection ran")]
    assert note.endswith("on 2 executions.") and not fresh.sidebar.warning

    ingest_file(ws, FIX / "kucoin_account_history.csv")  # new evidence after the run
    stale = app_for(people.legal, "views/overview.py")
    [warn] = [w.value for w in stale.sidebar.warning]
    assert "Out of date: 1 file(s) with 4 rows came in since" in warn
    assert "Run detection again." in warn
    victim = app_for(people.victim, "views/my_claims.py")
    [vnote] = [w.value for w in victim.sidebar.warning]
    assert vnote.startswith("Evidence last analysed") and "New evidence has arrived since" in vnote
    assert "executions" not in vnote  # victims are not shown the case's volumes

    assert not [b for b in stale.button if b.key == "ov_detect"]  # legal reads findings, does not run them
    with pytest.raises(AccessDenied):
        analysis.run_detection(ws, people.legal)


def test_a_report_flags_findings_that_evidence_came_in_after(ws: Workspace, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    ingest_file(ws, FIX / "kucoin_filled_orders_utc3.csv")

    def cover(name: str) -> str:
        out = tmp_path / name
        assert main(["--db", db, "report", "incident", "--unsigned", "--out", str(out)]) == 0
        capsys.readouterr()
        return pypdf.PdfReader(io.BytesIO(out.read_bytes())).pages[0].extract_text()

    assert "FINDINGS NOT COMPUTED" in cover("before.pdf")
    assert main(["--db", db, "detect"]) == 0
    text = cover("current.pdf")
    assert "on 2 executions" in text and "OUT OF DATE" not in text
    ingest_file(ws, FIX / "kucoin_account_history.csv")
    text = " ".join(cover("stale.pdf").split())
    assert "OUT OF DATE: 1 evidence file(s) with 4 rows were added after it started" in text


def test_an_investigator_runs_a_trace_from_the_fund_flow_page(ws: Workspace, people: People,
                                                               app_for: AppFor) -> None:
    from tests.queries.test_trace import S, X, build_graph

    build_graph(ws)  # the trace tests' transfer graph, in this database
    at = app_for(people.investigator, "views/fund_flow.py")
    assert not at.exception
    assert [i.value for i in at.info] == ["No trace has been run yet: run one above, or `keytrace trace --from "
                                          "ADDR --model haircut`."]
    at.text_area(key="ff_seeds").input(f"  {S.upper().replace('0X', '0x')}\n")
    at.selectbox(key="ff_model").select("haircut")
    at.number_input(key="ff_hops").set_value(5)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception, at.exception
    [done] = [s.value for s in at.success]
    assert done.endswith("followed 6 transfers to 2 cash-out points; pick it below.")
    with ws.db.read() as con:
        assert con.execute("SELECT count(*), min(model) FROM trace_runs").fetchall() == [(1, "haircut")]
        assert con.execute("SELECT count(*) FROM trace_cash_out_points WHERE address = ?", [X]).fetchall() == [(1,)]
    assert not [b for b in app_for(people.legal, "views/overview.py").button if b.key == "ff_run"]
