from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.cli import build_parser, main
from core.workspace import Workspace
from tests.ingest.test_bad_inputs import workbook


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, cwd=cwd,
                          env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(Path(__file__).resolve().parents[2])})


def test_init_then_verify_through_the_real_command(tmp_path: Path) -> None:
    db = tmp_path / "c.duckdb"
    r = _run("--db", str(db), "init", "--json", cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["applied"][0] == 1
    assert (db.with_name("c.duckdb.key").stat().st_mode & 0o777) == 0o600
    r = _run("--db", str(db), "audit", "verify", cwd=tmp_path)
    assert r.returncode == 0 and "intact" in r.stdout


def test_wrong_usage_exits_2(tmp_path: Path) -> None:
    r = _run("no-such-command", cwd=tmp_path)
    assert r.returncode == 2
    assert "invalid choice" in r.stderr


def test_bad_input_exits_1_with_one_sentence(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv("KEYTRACE_SECRET_KEY", raising=False)
    monkeypatch.setenv("KEYTRACE_SECRET_KEY", "too-short")
    assert main(["--db", str(tmp_path / "x.duckdb"), "init"]) == 0  # init needs no key from the env
    assert main(["--db", str(tmp_path / "x.duckdb"), "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "32 bytes" in err


def test_every_command_has_help_with_an_example() -> None:
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command")
    for name, p in sub.choices.items():  # type: ignore[union-attr]
        text = p.format_help()
        nested = [a for a in p._actions if getattr(a, "choices", None) and a.dest.endswith("_command")]
        if nested:
            for child in nested[0].choices.values():  # type: ignore[union-attr]
                assert "Example:" in child.format_help(), f"{name} {child.prog} lacks an example"
        else:
            assert "Example:" in text, f"{name} --help lacks an example"


# -- command-line defects found by exploratory QA: what the user sees, exactly --------------------------

TRADE_HEADER = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
TRADE_GOOD = "2021-06-14 21:52:18,VETUSDT,BUY,0.14362,70.1VET,10.067762USDT,0.00001784BNB\n"


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = main(list(args))
    got = capsys.readouterr()
    return status, got.out, got.err


@pytest.mark.parametrize("argv", [["export", "trades", "--out"], ["export", "transfers", "--out"],
                                  ["export", "findings", "--out"], ["report", "incident", "--out"],
                                  ["report", "bundle", "incident", "--out"], ["export", "parquet"]])
def test_an_output_in_a_missing_folder_is_refused_in_one_sentence(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    missing = tmp_path / "no" / "such"
    status, out, err = _cli(capsys, "--db", str(ws.settings.db_path), *argv, str(missing / "x.out"))
    assert (status, out) == (1, "")
    assert err == f"keytrace: the folder {missing} does not exist; create it first or choose another output path\n"
    assert not (tmp_path / "no").exists()


def test_restore_into_a_new_database_says_the_original_key_is_needed(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(ws.settings.db_path), "backup", str(tmp_path / "bk")]) == 0
    capsys.readouterr()
    new = tmp_path / "new.duckdb"
    status, out, err = _cli(capsys, "--db", str(new), "restore", str(tmp_path / "bk"))
    assert (status, out) == (1, "")
    assert err == (f"keytrace: no master key for {new}: a backup can only be restored with the case's original "
                   "master key, so copy the original database's key file (<db>.key) to "
                   f"{tmp_path / 'new.duckdb.key'} with mode 0600, or set KEYTRACE_SECRET_KEY or KEYTRACE_KEY_FILE "
                   "to it (`keytrace init` would make a new key that cannot open the backup)\n")
    assert not new.exists() and not (tmp_path / "new.duckdb.key").exists()
    # doing what the sentence says works
    key = tmp_path / "new.duckdb.key"
    key.write_bytes(ws.settings.key_file.read_bytes())
    key.chmod(0o600)
    status, out, err = _cli(capsys, "--db", str(new), "restore", str(tmp_path / "bk"))
    assert (status, err) == (0, "") and out.startswith("Restored ")


def test_restore_under_another_key_names_the_key_it_tried(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(ws.settings.db_path), "backup", str(tmp_path / "bk")]) == 0
    assert main(["--db", str(tmp_path / "other.duckdb"), "init"]) == 0  # what the old message advised
    capsys.readouterr()
    status, out, err = _cli(capsys, "--db", str(tmp_path / "other.duckdb"), "restore", str(tmp_path / "bk"),
                            "--force")
    assert status == 1
    assert err == ("keytrace: the backup manifest's seal does not match: it was altered, or the backup was made "
                   f"under another master key than {tmp_path / 'other.duckdb.key'} holds (restore needs the "
                   "case's original key); nothing was restored\n")


def test_an_unknown_file_gets_one_readable_sentence(ws: Workspace, tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "evil.csv"
    f.write_text("a,b,c\n1,2,3\n")
    status, out, err = _cli(capsys, "--db", str(ws.settings.db_path), "ingest", str(f))
    assert (status, out) == (1, "")
    assert err.count("\n") == 1
    assert err.startswith("keytrace: evil.csv: keytrace does not know this format (first line 'a,b,c'), so it is "
                          "not a known exchange export; known formats by exchange: 3commas (threecommas_deals, ")
    assert ", kraken (kraken_ledgers, kraken_trades), " in err
    assert err.endswith("; docs/ingest.md shows each format's header\n")
    # names only, no headers: about 25 characters a format (some 65 formats now), far from the ~150 a header takes
    assert "Date(UTC)" not in err and len(err) < 2000


def test_skip_bad_rows_lists_the_rejected_rows(ws: Workspace, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(TRADE_HEADER + TRADE_GOOD
                 + "2021-06-14 21:40:07,VETUSDT,BUY,abc,70.1VET,10.1USDT,0.0000179BNB\n"
                 + "2021-06-14 21:40:08,VETUSDT,SELL,0.1,70.1VET,xx,0.0000179BNB\n")
    status, out, err = _cli(capsys, "--db", str(ws.settings.db_path), "ingest", str(f), "--account", "1",
                            "--skip-bad-rows")
    assert (status, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].startswith("bad.csv: binance_trade_history (binance account 1): 3 rows read, 1 added, "
                               "0 already known, 2 rejected (see ingest_rejects, run ")
    assert lines[1:] == ["  rejected: bad.csv, row 2, column 'Price': the price 'abc' is not a number",
                         "  rejected: bad.csv, row 3, column 'Amount': the amount 'xx' is not a number followed "
                         "by USDT"]


def test_skip_bad_rows_shows_ten_and_the_total(ws: Workspace, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "many.csv"
    f.write_text(TRADE_HEADER + TRADE_GOOD + "".join(
        f"2021-06-14 21:40:{s:02d},VETUSDT,BUY,bad{s},70.1VET,10.1USDT,0.0000179BNB\n" for s in range(12)))
    status, out, _ = _cli(capsys, "--db", str(ws.settings.db_path), "ingest", str(f), "--account", "1",
                          "--skip-bad-rows")
    lines = out.splitlines()
    assert status == 0 and len(lines) == 12
    assert lines[1] == "  rejected: many.csv, row 2, column 'Price': the price 'bad0' is not a number"
    assert lines[-1] == "  ... 2 more problem(s) not shown; all 12 rejected row(s) are in ingest_rejects."


def test_an_unknown_exchange_is_named_as_such(ws: Workspace, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "t.csv"
    f.write_text(TRADE_HEADER + TRADE_GOOD)
    db = str(ws.settings.db_path)
    status, out, err = _cli(capsys, "--db", db, "ingest", str(f), "--exchange", "bogus")
    assert (status, out) == (2, "")
    assert err == ("keytrace: 'bogus' is not an exchange keytrace knows (known exchanges: binance, bitstamp, "
                   "coinbase, ftx, kraken, kucoin, okx); t.csv is a binance export (binance_trade_history)\n")
    status, out, err = _cli(capsys, "--db", db, "ingest", str(f), "--exchange", "kraken")  # known, but wrong
    assert (status, err) == (2, "keytrace: t.csv is a binance export (binance_trade_history), not kraken\n")


def test_a_semicolon_file_names_no_row(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "semi.csv"
    # decimal points and a decimal comma: how it was re-saved is not unambiguous, so it is refused
    f.write_text((TRADE_HEADER + TRADE_GOOD).replace(",", ";").replace("0.00001784BNB", "0,00001784BNB"))
    status, _, err = _cli(capsys, "--db", str(ws.settings.db_path), "ingest", str(f))
    assert status == 1
    assert err == ("keytrace: semi.csv: this looks like a Binance Spot Trade History export but its fields are "
                   "separated by semicolons, not commas (was it re-saved by a spreadsheet?); ingest the file as "
                   "the exchange produced it, or say how it was saved: --delimiter ';', and --decimal-comma if "
                   "its numbers are written like 1.234,56\n")


def test_a_formula_in_a_workbook_names_the_header_column(ws: Workspace, tmp_path: Path,
                                                          capsys: pytest.CaptureFixture[str]) -> None:
    f = workbook(tmp_path / "formula.xlsx", [TRADE_HEADER.strip().split(","),
                                              ["2021-06-14 21:52:18", "VETUSDT", "BUY", "=1+1", "70.1VET",
                                               "10.06USDT", "0.00001784BNB"]])
    status, _, err = _cli(capsys, "--db", str(ws.settings.db_path), "ingest", str(f), "--account", "1")
    assert status == 1
    assert err == ("keytrace: formula.xlsx, row 1, column 'Price': the workbook holds a formula; exchange exports "
                   "never do\n")


def test_an_unreadable_workbook_is_said_in_plain_words(ws: Workspace, tmp_path: Path,
                                                       capsys: pytest.CaptureFixture[str]) -> None:
    import zipfile

    good = workbook(tmp_path / "good.xlsx", [TRADE_HEADER.strip().split(","), TRADE_GOOD.strip().split(",")])
    renamed = tmp_path / "renamed.csv"
    renamed.write_bytes(good.read_bytes())
    db = str(ws.settings.db_path)
    status, _, err = _cli(capsys, "--db", db, "ingest", str(renamed), "--account", "1")
    assert status == 1
    assert err == ("keytrace: renamed.csv: the file holds an Excel workbook but is named .csv instead of .xlsx, so "
                   "it cannot be read as one; ingest the export under its original .xlsx name\n")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as dst:
        for item in src.infolist():
            dst.writestr(item, b"<not xml" if item.filename == "xl/workbook.xml" else src.read(item))
    status, _, err = _cli(capsys, "--db", db, "ingest", str(damaged), "--account", "1")
    assert status == 1
    assert err == ("keytrace: damaged.xlsx: the file is not a readable Excel workbook (it is damaged, or it is not "
                   "an .xlsx file)\n")
