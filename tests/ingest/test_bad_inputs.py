"""Every kind of bad input: one clear sentence naming file (row, column) and a database left exactly as it was."""

from __future__ import annotations

import os
import zipfile
from datetime import UTC, datetime
from decimal import Decimal as D
from pathlib import Path

import openpyxl
import pytest

from core.errors import InputError, UnknownFormatError, UnsafeFileError, UsageError, ValidationError
from core.workspace import Workspace
from ingest import xlsx
from ingest.api import ingest_file
from tests.ingest.helpers import snapshot, table

HEADER = "Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n"
GOOD = "2021-05-09 22:47:36,VETUSDT,BUY,0.2291700000,43.7000000000VET,10.01472900USDT,0.0000114300BNB\n"


def refused(ws: Workspace, path: Path, error: type[Exception], pattern: str, **kw: object) -> None:
    before = snapshot(ws)
    with pytest.raises(error, match=pattern):
        ingest_file(ws, path, account="a1", **kw)  # type: ignore[arg-type]
    assert snapshot(ws) == before


def test_spreadsheet_dates_refused_unless_dayfirst(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "trades.csv"
    f.write_text(HEADER + "14/04/2020 10:41,BTCUSDT,SELL,6850.12,0.1BTC,685.012USDT,0.0003BNB\n"
                 "02/04/2020 09:05,BTCUSDT,BUY,6700,0.1BTC,670USDT,0.0003BNB\n")
    refused(ws, f, InputError, r"^trades\.csv, row 1, column 'Date\(UTC\)': the time '14/04/2020 10:41' is written "
                               r"day/month/year.*--dayfirst")
    ingest_file(ws, f, account="a1", dayfirst=True)
    assert [t["time_utc"] for t in table(ws, "trades")] == [datetime(2020, 4, 14, 10, 41, tzinfo=UTC),
                                                            datetime(2020, 4, 2, 9, 5, tzinfo=UTC)]


def test_header_only(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "h.csv"
    f.write_text(HEADER)
    refused(ws, f, InputError, r"^h\.csv: this Binance Spot Trade History export has a header but no rows")


def test_empty_and_blank_files(ws: Workspace, tmp_path: Path) -> None:
    (tmp_path / "e.csv").write_bytes(b"")
    refused(ws, tmp_path / "e.csv", InputError, r"^e\.csv: the file is empty \(0 bytes\)")
    (tmp_path / "b.csv").write_text("\n\n  \n")
    refused(ws, tmp_path / "b.csv", InputError, r"only blank lines")


def test_truncated_last_line_missing_fields(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "cut.csv"
    f.write_text(HEADER + GOOD + "2021-05-09 22:30:55,VETUSDT,BUY,0.23132000")
    refused(ws, f, ValidationError, r"^cut\.csv, row 2, column 'Executed': the executed amount '' is not a number.*"
                                    r"nothing was stored")


def test_truncated_inside_quotes(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "cutq.csv"
    f.write_text(HEADER + GOOD + '2018-01-29 09:13:15,BTCUSDT,BUY,"11,426.20')
    refused(ws, f, InputError, r"^cutq\.csv.*quoted field is not closed")


def test_wrong_delimiter(ws: Workspace, tmp_path: Path) -> None:
    # a re-save whose separator and decimal mark cannot be told for sure is refused, naming the flags
    f = tmp_path / "semi.csv"
    f.write_text(HEADER.replace(",", ";") + GOOD.replace(",", ";").replace("0.0000114300BNB", "0,0000114300BNB"))
    refused(ws, f, InputError, r"^semi\.csv: this looks like a Binance Spot Trade History export but its "
                               r"fields are separated by semicolons, not commas .* --delimiter ';'")
    g = tmp_path / "semi_thousands.csv"
    g.write_text(HEADER.replace(",", ";") + "2021-05-09 22:47:36;VETUSDT;BUY;1,250;43VET;54USDT;1BNB\n")
    refused(ws, g, InputError, r"^semi_thousands\.csv: this looks like .* --delimiter ';'")


def test_unambiguous_semicolon_resave_is_read_and_says_so(ws: Workspace, tmp_path: Path) -> None:
    # only ';' makes the header a known format's, and every decimal is a point: read so, with a notice
    f = tmp_path / "semi.csv"
    f.write_text(HEADER.replace(",", ";") + GOOD.replace(",", ";"))
    res = ingest_file(ws, f, account="9001")
    assert (res.format, res.rows_added) == ("binance_trade_history", 1)
    assert res.notices == ("semi.csv was re-saved by a spreadsheet: read with fields separated by semicolons and "
                           "decimal points, as its header and first rows show; give --delimiter (and "
                           "--decimal-comma) to say otherwise",)
    [t] = table(ws, "trades")
    assert (t["price"], t["quantity"], t["quote_quantity"], t["fee"]) == (
        D("0.22917"), D("43.7"), D("10.014729"), D("0.00001143"))
    # --delimiter ',' says it is comma-separated: then it is refused, not guessed
    with pytest.raises(InputError, match="fields are separated by semicolons, not commas"):
        ingest_file(ws, f, account="9001", delimiter=",")


def test_binary_garbage(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "trades.csv"
    f.write_bytes(bytes(range(256)) * 10)
    refused(ws, f, UnknownFormatError, r"^trades\.csv: the file is binary")
    g = tmp_path / "latin.csv"
    g.write_bytes(b"Date(UTC),Pair\n\xe9\xe8\xff\xfe,abc\n")
    refused(ws, g, UnknownFormatError, r"^latin\.csv: the file is not UTF-8 text")


def test_unknown_format_lists_known_formats(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "x.csv"
    f.write_text("a,b,c\n1,2,3\n")
    refused(ws, f, UnknownFormatError, r"^x\.csv: keytrace does not know this format \(first line 'a,b,c'\), so it "
                                       r"is not a known exchange export; known formats by exchange: .*binance \(.*"
                                       r"binance_trade_history, .*kucoin_orders_v3.*; docs/ingest\.md shows each "
                                       r"format's header$")


def test_formula_in_a_number_column_is_a_bad_row(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "inj.csv"
    f.write_text(HEADER + GOOD + "2021-05-09 22:30:55,VETUSDT,BUY,=cmd|' /C calc'!A0,1VET,1USDT,0.1BNB\n")
    refused(ws, f, ValidationError, r"^inj\.csv, row 2, column 'Price': the price '=cmd\|' /C calc'!A0' is not a "
                                    r"number \(nothing was stored\)")
    res = ingest_file(ws, f, account="a1", skip_bad_rows=True)
    assert (res.rows_added, res.rows_rejected, res.flagged_count) == (1, 1, 1)
    [rej] = table(ws, "ingest_rejects", "source_row")
    assert (rej["source_row"], rej["column_name"]) == (2, "Price")
    assert rej["raw_line"] == "2021-05-09 22:30:55,VETUSDT,BUY,=cmd|' /C calc'!A0,1VET,1USDT,0.1BNB"


def test_whole_file_refused_for_one_bad_row_lists_count(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text(HEADER + GOOD + GOOD.replace("BUY", "HOLD") + GOOD.replace("VETUSDT", "VETXYZ"))
    refused(ws, f, ValidationError, r"^bad\.csv, row 2, column 'Side': the side 'HOLD' is neither BUY nor SELL "
                                    r"\(1 more bad row; nothing was stored\)")


def test_special_files_and_path_tricks(ws: Workspace, tmp_path: Path) -> None:
    refused(ws, tmp_path, UnsafeFileError, r"this is a folder")
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    refused(ws, fifo, UnsafeFileError, r"^pipe\.csv: this is not a regular file")
    refused(ws, tmp_path / "missing.csv", InputError, r"^missing\.csv: the file does not exist")
    f = tmp_path / "t.csv"
    f.write_text(HEADER + GOOD)
    res = ingest_file(ws, f, account="a1", original_name="../../etc/\u202eevil\u202c.csv")
    assert res.source_name == "evil.csv"
    stored = [p for p in ws.settings.evidence_dir.rglob("*") if p.is_file()]
    assert len(stored) == 1 and stored[0].is_relative_to(ws.settings.evidence_dir)


def test_wrong_exchange_and_account(ws: Workspace, tmp_path: Path) -> None:
    from tests.ingest.helpers import FIX

    refused(ws, FIX / "kucoin_order_splitting.csv", UsageError, r"belongs to account 31500291, not a1")
    refused(ws, FIX / "binance_spot_trade_history_2021.csv", UsageError, r"is a binance export .*not kucoin",
            exchange="kucoin")


def workbook(path: Path, rows: list[list[object]]) -> Path:
    """An .xlsx file at ``path`` whose first sheet holds ``rows``."""
    wb = openpyxl.Workbook()
    ws_ = wb.active
    assert ws_ is not None
    for r in rows:
        ws_.append(r)
    wb.save(path)
    return path


def test_xlsx_withdrawal_history_v2(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "Binance-Withdraw-History.xlsx"
    workbook(f, [["Date(UTC+0)", "Coin", "Network", "Amount", "Fee", "Address", "TXID", "Status"],
                  ["25-12-21 00:51:45", "USDT", "TRX", "250.5", "1", "TQaddr", "a1b2", "Completed"],
                  ["25-12-20 23:10:00", "ETH", "ETH", 0.75, 0.0001, "0xabc", "0xdef", "Completed"]])
    res = ingest_file(ws, f, account="a1")
    assert (res.format, res.rows_added) == ("binance_withdrawal_history_v2", 2)
    m = table(ws, "ledger_movements")
    assert [(r["asset"], r["amount"], r["fee"]) for r in m] == [("USDT", D("-250.5"), D("1")),
                                                                ("ETH", D("-0.75"), D("0.0001"))]


def test_xlsx_with_a_formula_is_refused(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "f.xlsx"
    workbook(f, [["Date(UTC+0)", "Coin", "Network", "Amount", "Address", "TXID", "Status"],
                  ["25-12-21 00:51:45", "USDT", "TRX", "=1+1", "TQ", "a1", "Completed"]])
    refused(ws, f, UnsafeFileError, r"^f\.xlsx, row 1, column 'Amount': the workbook holds a formula")


def test_xlsx_zip_bomb_macros_and_damage(ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (4 << 20))
    refused(ws, bomb, UnsafeFileError, r"^bomb\.xlsx: a part of the workbook expands \d+ times \(limit 200\)")
    monkeypatch.setattr(xlsx, "MAX_UNCOMPRESSED", 1 << 20)
    monkeypatch.setattr(xlsx, "MAX_RATIO", 10**9)
    refused(ws, bomb, UnsafeFileError, r"expands to more than 1 MiB")
    macro = tmp_path / "m.xlsx"
    with zipfile.ZipFile(macro, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/vbaProject.bin", b"x")
    refused(ws, macro, UnsafeFileError, r"^m\.xlsx: the workbook contains macros")
    links = tmp_path / "l.xlsx"
    with zipfile.ZipFile(links, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/externalLinks/externalLink1.xml", b"<x/>")
    refused(ws, links, UnsafeFileError, r"links to external files")
    broken = tmp_path / "b.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    refused(ws, broken, UnsafeFileError, r"^b\.xlsx: the file starts like .* but is not a valid")


def test_binary_bytes_after_the_sniffed_head(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "late.csv"
    f.write_bytes((HEADER + GOOD * 1000).encode() + b"2021-05-09 22:47:36,VET\xff\xfeUSDT,BUY,1,1VET,1USDT,1BNB\n")
    refused(ws, f, InputError, r"^late\.csv, row 1001: the file cannot be read as CSV: the row is not UTF-8 text")


def test_more_fields_than_the_header(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "wide.csv"
    f.write_text(HEADER + GOOD + GOOD.strip() + ",extra,fields\n")
    refused(ws, f, ValidationError, r"^wide\.csv, row 2: the row has more fields than the header")


SEMI = Path(__file__).resolve().parent.parent / "fixtures" / "exchange_exports" / \
    "binance_spot_trade_history_semicolon_decimal_comma.csv"


def test_semicolons_and_decimal_commas_only_when_the_user_says_so(ws: Workspace,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    before = snapshot(ws)
    # the separator and the decimal commas are unambiguous, so they are not asked for; the dates are not
    refused(ws, SEMI, InputError, r"row 1, column 'Date\(UTC\)': the time '14.04.2020 10:41' is written "
                                  r"day/month/year")
    # ',' said: the semicolons are refused, naming the flags
    with pytest.raises(InputError, match=r"fields are separated by semicolons, not commas .*--delimiter ';', and "
                                         r"--decimal-comma if its numbers are written like 1.234,56"):
        ingest_file(ws, SEMI, account="9001", delimiter=",", dayfirst=True)
    # ';' alone: the decimal commas would read 0,0229210000 as 229210000, so the file is refused by row and column
    with pytest.raises(InputError, match=r"row 1, column 'Executed': the number '0,0146000000BTC' is written with "
                                         r"a decimal comma; pass --decimal-comma"):
        ingest_file(ws, SEMI, account="9001", delimiter=";", dayfirst=True)
    with pytest.raises(UsageError, match=r"--decimal-comma needs --delimiter"):
        ingest_file(ws, SEMI, account="9001", decimal_comma=True)
    auto = ingest_file(ws, SEMI, account="9001", dayfirst=True)  # unambiguous: read, and said so
    assert (auto.rows_added, auto.notices[0].split(":")[1].strip()) == (
        2, "read with fields separated by semicolons and decimal commas (1.234,56), as its header and first rows "
           "show; give --delimiter (and --decimal-comma) to say otherwise")
    assert [t["price"] for t in table(ws, "trades")] == [D("6853.21"), D("0.022921")]
    before = snapshot(ws)
    with pytest.raises(UsageError, match=r"--delimiter must be one of"):
        ingest_file(ws, SEMI, account="9001", delimiter=":")
    assert snapshot(ws) == before
    res = ingest_file(ws, SEMI, account="9001", delimiter=";", decimal_comma=True, dayfirst=True)
    assert (res.format, res.rows_read, res.rows_added, res.notices) == ("binance_trade_history", 2, 0, ())
    got = [(t["time_utc"], t["pair"], t["side"], t["price"], t["quantity"], t["quote_quantity"], t["fee"],
            t["fee_asset"]) for t in table(ws, "trades")]
    assert got == [
        (datetime(2020, 4, 14, 10, 41, tzinfo=UTC), "BTC/USDT", "buy", D("6853.21"), D("0.0146"), D("100.056866"),
         D("0.0000146"), "BTC"),
        (datetime(2020, 4, 14, 11, 2, tzinfo=UTC), "ETH/BTC", "sell", D("0.022921"), D("1.5"), D("0.0343815"),
         D("0.00003438"), "BTC"),
    ]
    # the command line says the same with --delimiter ';' --decimal-comma
    from app.cli import main
    assert main(["--db", str(ws.settings.db_path), "ingest", str(SEMI), "--account", "9001", "--delimiter", ";",
                 "--decimal-comma", "--dayfirst"]) == 0
    out = capsys.readouterr().out
    assert "2 rows read, 0 added, 2 already known" in out and "note:" not in out


def test_decimal_comma_refuses_decimal_points(ws: Workspace, tmp_path: Path) -> None:
    f = tmp_path / "semi_points.csv"
    f.write_text(SEMI.read_text().replace("0,0229210000", "0.0229210000"))
    with pytest.raises(InputError, match=r"semi_points.csv, row 2, column 'Price': the number '0.0229210000' has "
                                         r"a decimal point, but --decimal-comma"):
        ingest_file(ws, f, account="9001", delimiter=";", decimal_comma=True, dayfirst=True)


def test_3commas_market_orders_alone_are_refused_saying_what_they_lack(ws: Workspace) -> None:
    # GET /ver1/deals/{deal_id}/market_orders on its own: the deal id is only in the URL, the pair nowhere
    src = Path(__file__).resolve().parent.parent / "fixtures" / "bot_platform" / "3commas_deal_market_orders.json"
    refused(ws, src, InputError,
            r"^3commas_deal_market_orders\.json: this is the market orders of one 3Commas deal on its own "
            r"\(GET /ver1/deals/\{deal_id\}/market_orders, 2 orders\): it names neither the deal nor its pair, so "
            r"its orders cannot be told apart from other deals'; ingest the deal with them \(the deals list, or "
            r"the deal with its market_orders\)")
