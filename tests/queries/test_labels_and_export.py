from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli import main
from core.workspace import Workspace
from queries.detect import detect

A = "0x" + "a" * 40


def test_labels_import_is_idempotent(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "labels.csv"
    f.write_text("chain_id,address,entity,category,source,confidence\n"
                 f"1,{A.upper().replace('0X', '0x')},Binance: hot wallet,exchange,etherscan,95\n"
                 f",{'0x' + 'b' * 40},Tornado Cash,mixer,,80\n")
    db = str(ws.settings.db_path)
    assert main(["--db", db, "labels", "import", str(f), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["added"] == 2
    assert main(["--db", db, "labels", "import", str(f), "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert (out["added"], out["updated"]) == (0, 0)
    with ws.db.read() as con:
        got = con.execute("SELECT chain_id, address, entity, category, source, confidence FROM address_labels"
                          " ORDER BY address").fetchall()
    assert got == [(1, A, "Binance: hot wallet", "exchange", "etherscan", 95),
                   (None, "0x" + "b" * 40, "Tornado Cash", "mixer", "labels.csv", 80)]


def test_bad_label_row_refuses_the_file(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(f"address,entity,category\n{A},X,exchange\n0x12,Y,exchange\n")
    assert main(["--db", str(ws.settings.db_path), "labels", "import", str(f)]) == 1
    err = capsys.readouterr().err
    assert "bad.csv, row 2, column 'address'" in err
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM address_labels").fetchall()[0][0] == 0
    f.write_text(f"address,entity,category\n{A},X,casino\n")
    assert main(["--db", str(ws.settings.db_path), "labels", "import", str(f)]) == 1
    assert "column 'category'" in capsys.readouterr().err


def test_export_findings(incident: Workspace, tmp_path: Path) -> None:
    detect(incident)
    out = tmp_path / "findings.csv"
    assert main(["--db", str(incident.settings.db_path), "export", "findings", "--out", str(out)]) == 0
    with out.open(encoding="utf-8") as fh:
        got = list(csv.reader(fh))
    assert got[0] == ["exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity",
                      "score", "reasons", "loss_usd"]
    assert len(got) == 17
    v2 = [r for r in got if r[1] == "v2"]
    assert v2[0] == ["binance", "v2", "2022-12-25T22:40:00Z", "AKRO/USDT", "buy", "0.09", "1000", "90", "125",
                     "ATTACK_SESSION;PRICE_DEVIATION;THIN_PAIR;CROSS_VICTIM;NO_DEPOSIT_WITHDRAWAL", "80.09"]
