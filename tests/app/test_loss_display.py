"""A claim without a computed loss says why: no trade of the account is held, detection has not run, or
it ran and found no unauthorised trade."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

from app import claims
from core.workspace import Workspace
from ingest.reconcile import reconcile
from tests.app.conftest import AppFor, People


def _loss_metric(at: object) -> tuple[str, str]:
    [m] = [m for m in at.metric if m.label == "Computed loss (USD)"]  # type: ignore[attr-defined]
    return str(m.value), str(m.proto.help)


def _info(ws: Workspace, app_for: AppFor, people: People) -> list[str]:
    return [i.value.replace("\\", "") for i in app_for(people.victim, "views/my_claims.py").info]


def test_a_missing_loss_says_why(ws: Workspace, app_for: AppFor, people: People) -> None:
    cid = claims.file_claim(ws, people.victim, exchange="binance", account="999", contact_email="v@example.org",
                            claimed_loss_usd="5000")
    claims.set_status(ws, people.investigator, cid, "in_review", None)
    claims.set_status(ws, people.investigator, cid, "verified", None)  # staff have checked it is the victim's

    def queue() -> tuple[str, str]:
        return _loss_metric(app_for(people.investigator, "views/claims_queue.py", query={"claim": str(cid)}))

    assert queue() == ("no data", "No trade of this account is in the database: nothing to judge yet.")
    assert any(i.startswith("keytrace holds no trade of binance account 999 yet") for i in _info(ws, app_for, people))

    with ws.db.write() as con:
        con.execute("INSERT INTO trades (exchange, account, time_utc, pair, base_asset, quote_asset, side, price, "
                    "quantity, quote_quantity, occurrence, evidence_sha256, source_row, ingest_run_id, format) "
                    "VALUES ('binance', '999', ?, 'BTC/USDT', 'BTC', 'USDT', 'buy', ?, 1, ?, 1, 'e', 1, 'r', 'f')",
                    [datetime(2022, 12, 25, tzinfo=UTC), Decimal(17000), Decimal(17000)])
        reconcile(con)
    assert queue() == ("not computed", "Detection has not run yet (`keytrace detect`).")
    assert any(i.startswith("The analysis has not run yet") for i in _info(ws, app_for, people))

    with ws.db.write() as con:
        con.execute("INSERT INTO detection_runs VALUES ('d1', ?, ?, '{}', 10, 0, 0)",
                    [datetime(2026, 11, 25, 9, 0, tzinfo=UTC), datetime(2026, 11, 25, 9, 5, tzinfo=UTC)])
    assert queue() == (
        "0.00", "Detection (last run 2026-11-25 09:05 UTC) found no unauthorised trade in this account's trades.")
    shown = _info(ws, app_for, people)
    assert any(i.startswith("The last analysis (2026-11-25 09:05 UTC) scored 0 of the 1 trades keytrace now holds "
                            "of binance account 999") for i in shown), shown
    from queries.detect import detect

    detect(ws)  # a real run scores the trade
    assert any(i.startswith("The last analysis (") and "found no unauthorised trade among the 1 trades of binance "
               "account 999" in i for i in _info(ws, app_for, people))
