"""A claim without a computed loss says why: detection has not run, or it found no unauthorised trade."""

from __future__ import annotations

from datetime import UTC, datetime

from app import claims
from core.workspace import Workspace
from tests.app.conftest import AppFor, People


def _loss_metric(at: object) -> tuple[str, str]:
    [m] = [m for m in at.metric if m.label == "Computed loss (USD)"]  # type: ignore[attr-defined]
    return str(m.value), str(m.proto.help)


def test_a_missing_loss_says_whether_detection_ran(ws: Workspace, app_for: AppFor, people: People) -> None:
    cid = claims.file_claim(ws, people.victim, exchange="binance", account="999", contact_email="v@example.org",
                            claimed_loss_usd="5000")
    staff = app_for(people.investigator, "views/claims_queue.py", query={"claim": str(cid)})
    assert _loss_metric(staff) == ("not computed", "Detection has not run yet (`keytrace detect`).")
    victim = app_for(people.victim, "views/my_claims.py")
    assert any(i.value.startswith("No loss has been computed for this account yet") for i in victim.info)

    with ws.db.write() as con:
        con.execute("INSERT INTO detection_runs VALUES ('d1', ?, ?, '{}', 10, 0, 0)",
                    [datetime(2026, 11, 25, 9, 0, tzinfo=UTC), datetime(2026, 11, 25, 9, 5, tzinfo=UTC)])
    staff = app_for(people.investigator, "views/claims_queue.py", query={"claim": str(cid)})
    assert _loss_metric(staff) == (
        "0.00", "Detection (last run 2026-11-25 09:05 UTC) found no unauthorised trade in this account's trades.")
    victim = app_for(people.victim, "views/my_claims.py")
    assert any(i.value.startswith("The last analysis (2026-11-25 09:05 UTC) found no unauthorised trade")
               for i in victim.info)
