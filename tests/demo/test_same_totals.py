"""The overview, the incident PDF and the findings export give the same totals on the demo incident,
because they read the same findings: the loss (accounts that netted a gain count as zero, as the loss
definition says), the number of unauthorised trades and the victim accounts; and the PDF states the loss
definition of the demo's ground truth word for word (one definition, queries/detect.py)."""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

from streamlit.testing.v1 import AppTest

from app import auth
from tests.app.conftest import APP
from tests.demo.test_demo_command import keytrace
from tests.reports.conftest import flat, pdf_pages


def test_overview_incident_pdf_and_findings_export_agree(built: tuple[Path, dict[str, Any]],
                                                         tmp_path: Path, monkeypatch: Any) -> None:
    db, out = built
    # the findings export: per-trade losses, summed per account, an account's net gain counting as zero
    export = tmp_path / "findings.csv"
    done = keytrace("--db", str(db), "export", "findings", "--out", str(export), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    with export.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
    per_account: dict[tuple[str, str], Decimal] = defaultdict(Decimal)
    for r in rows:
        per_account[(r["exchange"], r["account"])] += Decimal(r["loss_usd"] or "0")
    export_loss = sum((max(v, Decimal(0)) for v in per_account.values()), Decimal(0))
    assert rows and export_loss > 0

    # the incident PDF's headline
    pdf = tmp_path / "incident.pdf"
    done = keytrace("--db", str(db), "report", "incident", "--out", str(pdf), "--unsigned", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    text = flat("\n".join(pdf_pages(pdf)))
    m = re.search(r"(\d+) victim accounts, (\d+) unauthorised trades, (\d+) campaigns; total loss ([\d,]+\.\d\d) USD",
                  text)
    assert m, text[:2000]
    pdf_accounts, pdf_trades, pdf_loss = int(m.group(1)), int(m.group(2)), Decimal(m.group(4).replace(",", ""))
    # and it states the loss as the demo's ground truth defines it, word for word
    truth = json.loads((Path(out["out"]) / "ground_truth" / "ground_truth.json").read_text())
    assert "Loss. " + flat(truth["loss_definition"]) in text

    # the overview, as an investigator sees it
    monkeypatch.setenv("KEYTRACE_DB", str(db))
    from core.workspace import Workspace

    ws = Workspace.open(db)
    investigator = next(u for u in out["users"] if u["role"] == "investigator")
    _, token = auth.login(ws, investigator["username"], investigator["password"])
    at = AppTest.from_file(APP, default_timeout=120)
    at.session_state["kt_token"] = token
    at.run()
    at.switch_page("views/overview.py").run()
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    exact = re.search(r"Exactly ([\d,]+\.\d+) USD", str(metrics["Computed loss"].proto.help))
    assert exact
    overview_loss = Decimal(exact.group(1).replace(",", ""))

    cents = Decimal("0.01")
    assert overview_loss == export_loss
    assert pdf_loss == export_loss.quantize(cents, ROUND_HALF_UP)
    assert int(metrics["Unauthorised trades"].value.replace(",", "")) == pdf_trades == len(rows)
    victims = sum(1 for v in per_account.values() if v is not None)
    assert int(metrics["Victim accounts"].value.replace(",", "")) == pdf_accounts == victims
