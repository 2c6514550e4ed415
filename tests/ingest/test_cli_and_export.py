"""The real command line: keytrace ingest (text and --json) and keytrace export trades."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from app.cli import main
from core.workspace import Workspace
from tests.ingest.helpers import FIX, snapshot

EXPORT_COLUMNS = ["exchange", "account", "time_utc", "pair", "side", "price", "quantity", "quote_quantity", "fee",
                  "fee_asset", "evidence_sha256", "source_row", "derived_from", "corroborated_by", "other_evidence"]


def test_ingest_then_export_trades(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    assert main(["--db", db, "ingest", str(FIX / "binance_spot_trade_history_bom_utc_plus1.csv"),
                 "--account", "9001", "--json"]) == 0
    [res] = json.loads(capsys.readouterr().out)
    assert (res["format"], res["rows_read"], res["rows_added"]) == ("binance_trade_history", 5, 5)
    out = tmp_path / "trades.csv"
    assert main(["--db", db, "export", "trades", "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        got = list(csv.reader(fh))
    assert got[0] == EXPORT_COLUMNS
    by_row = {r[11]: r for r in got[1:]}
    assert by_row["1"] == ["binance", "9001", "2024-03-04T09:15:00Z", "1INCH/USDT", "buy", "0.5312", "150", "79.68",
                           "0.15", "1INCH", res["evidence_sha256"], "1", "fill", "", ""]
    assert by_row["4"][2:8] == ["2024-03-03T22:30:00Z", "BTC/USDT", "sell", "63012.55", "0.015", "945.18825"]
    assert len(got) == 6


def test_ingest_text_output_and_reingest(ws: Workspace, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    path = str(FIX / "kucoin_order_splitting.csv")
    assert main(["--db", db, "ingest", path]) == 0
    assert "kucoin_order_splitting (kucoin account 31500291): 2 rows read, 2 added, 0 already known." in \
        capsys.readouterr().out
    before = snapshot(ws)["trades"]
    assert main(["--db", db, "ingest", path]) == 0
    assert "2 rows read, 0 added, 2 already known." in capsys.readouterr().out
    assert snapshot(ws)["trades"] == before


def test_cli_refusal_is_one_sentence_exit_1(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "notes.csv"
    bad.write_text("hello,world\n1,2\n")
    before = snapshot(ws)
    assert main(["--db", str(ws.settings.db_path), "ingest", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("keytrace: notes.csv: keytrace does not know this format") and "binance_trade_history" in err
    assert err.count("\n") == 1
    assert snapshot(ws) == before


def test_export_neutralises_formula_cells(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "Binance_trades.csv"
    f.write_text("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
                 "2024-01-01 00:00:00,BTCUSDT,BUY,100,1BTC,100USDT,0.1BNB\n")
    assert main(["--db", str(ws.settings.db_path), "ingest", str(f), "--account", "=cmd|' /C calc'!A0"]) == 0
    out = tmp_path / "t.csv"
    assert main(["--db", str(ws.settings.db_path), "export", "trades", "--out", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        row = list(csv.reader(fh))[1]
    assert row[1] == "'=cmd|' /C calc'!A0"      # inert: a spreadsheet shows it as text
    assert row[5:10] == ["100", "1", "100", "0.1", "BNB"]


def test_several_files_one_bad(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "garbage.csv"
    bad.write_bytes(b"\x00\x01\x02" * 100)
    good = FIX / "kucoin_order_splitting.csv"
    assert main(["--db", str(ws.settings.db_path), "ingest", str(bad), str(good), "--json"]) == 1
    captured = capsys.readouterr()
    assert "keytrace: garbage.csv: the file is binary" in captured.err
    results = json.loads(captured.out)
    assert results[0] == {"source_name": "garbage.csv", "error": "garbage.csv: the file is binary, not a text export "
                                                                  "(it contains NUL bytes)"}
    assert (results[1]["format"], results[1]["rows_added"]) == ("kucoin_order_splitting", 2)


def test_cli_flags_dayfirst_and_skip_bad_rows(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "resaved.csv"
    f.write_text("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
                 "14/04/2020 10:41,BTCUSDT,SELL,6850.12,0.1BTC,685.012USDT,0.0003BNB\n"
                 "15/04/2020 11:00,BTCUSDT,HOLD,6850.12,0.1BTC,685.012USDT,0.0003BNB\n")
    db = str(ws.settings.db_path)
    assert main(["--db", db, "ingest", str(f), "--account", "u"]) == 1
    assert "--dayfirst" in capsys.readouterr().err
    assert main(["--db", db, "ingest", str(f), "--account", "u", "--dayfirst"]) == 1
    assert "resaved.csv, row 2, column 'Side': the side 'HOLD' is neither BUY nor SELL" in capsys.readouterr().err
    assert main(["--db", db, "ingest", str(f), "--account", "u", "--dayfirst", "--skip-bad-rows"]) == 0
    out = capsys.readouterr().out
    assert "2 rows read, 1 added, 0 already known, 1 rejected (see ingest_rejects" in out
