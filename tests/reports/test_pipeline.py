"""Reports over what the real analysis wrote: `detect` and `trace` on the analysis tests' hand-made
incident (hand-computed losses: v1 2806.40 USD, v2 320.36 USD, campaign 3126.76 USD)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from core.db import utcnow
from core.workspace import Workspace
from queries.detect import detect
from queries.trace import trace
from reports import generate
from tests.queries.builders import ts
from tests.queries.conftest import incident  # noqa: F401 - the analysis tests' incident fixture
from tests.reports.conftest import flat, pdf_pages

USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"
ATTACKER = "0x" + "ab" * 20
HOP = "0x" + "cd" * 20
OKX = "0x" + "0e" * 20


def _add_claim_and_chain(ws: Workspace) -> int:
    now = utcnow()
    with ws.db.write() as con:
        con.execute("INSERT INTO users (username, role, password_hash, created_at) VALUES ('v1', 'victim', 'x', ?)",
                    [now]).fetchall()
        claim_id = int(con.execute(
            "INSERT INTO claims (user_id, case_id, exchange, account, contact_name_enc, claimed_loss_usd, status,"
            " created_at, updated_at) VALUES (1, 'CASE-P', 'kucoin', 'v1', ?, 2800, 'in_review', ?, ?) RETURNING id",
            [ws.keys.seal("Vic Tim", "claims.contact_name"), now, now]).fetchall()[0][0])
        t0 = ts("2022-12-26 03:00:00")
        for i, (src, dst, raw) in enumerate(((ATTACKER, HOP, 3000_000000), (HOP, OKX, 2900_000000))):
            con.execute("INSERT INTO transfers VALUES (1, ?, '0xb', ?, ?, 0, NULL, 'erc20', ?, ?, ?, ?, ?, 'test',"
                        " NULL, NULL, 'run')", [100 + i, t0 + timedelta(minutes=i), f"0x{i + 1:064x}", USDT, src, dst,
                                                str(raw), raw]).fetchall()
        con.execute("INSERT INTO address_labels VALUES (1, ?, 'OKX: deposit', 'exchange', 'test', 90)", [OKX]).fetchall()
        con.execute("INSERT INTO address_labels VALUES (1, ?, 'AKRO pump crew', 'attacker', 'test', 80)",
                    [ATTACKER]).fetchall()
    return claim_id


def test_reports_state_what_detect_and_trace_computed(incident: Workspace, tmp_path: Path) -> None:  # noqa: F811
    ws = incident
    claim_id = _add_claim_and_chain(ws)
    detect(ws)
    trace(ws, [ATTACKER], "haircut", hops=3)
    out = tmp_path / "claim.pdf"
    generate.claim_report(ws, claim_id, out, actor="test", signed=False)
    text = flat("\n".join(pdf_pages(out)))
    assert "Loss computed by keytrace: 2,806.40 USD over 12 unauthorised trades" in text
    assert "Loss (USD) 2,806.40" in text
    assert "kucoin account v1" in text and "CASE-P" in text and "Vic Tim" in text
    assert "pastebin 2022-12-28" in text and "2022-12-28" in text   # the leak's source and date
    assert "AKRO/USDT" in text and "3,126.76" in text                 # its campaign and the campaign's loss
    assert "OKX: deposit" in text and OKX in text and "2900" in text  # the cash-out point, in USDT
    inc = tmp_path / "incident.pdf"
    generate.incident_report(ws, inc, actor="test", signed=False)
    itext = flat("\n".join(pdf_pages(inc)))
    assert "kucoin v1 12 2,806.40" in itext and "binance v2 4 320.36" in itext
    assert "total loss 3,126.76 USD" in itext
    assert "OKX: deposit exchange USDT 1 2900" in itext
    assert ATTACKER in itext
