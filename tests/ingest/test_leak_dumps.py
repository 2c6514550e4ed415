"""Leaked-key dumps: fingerprints and the dump's hash are kept, the secrets never reach the disk."""

from __future__ import annotations

import csv
import io
import json
import secrets
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from app.cli import main
from core.db import rows
from core.fingerprint import api_key_fingerprint
from core.workspace import Workspace
from ingest.leaks import parse_dump


def _material(n: int) -> list[tuple[str, str, str, str]]:
    exchanges = ["Binance", "kucoin", "OKX", "binance"]
    return [(exchanges[i % 4], f"AK{secrets.token_hex(16)}", f"SEC{secrets.token_hex(20)}",
             f"PP{secrets.token_hex(6)}") for i in range(n)]


def _all_bytes_except(root: Path, skip: Path) -> bytes:
    blob = b""
    for p in sorted(root.rglob("*")):
        if p.is_file() and skip not in p.parents:
            blob += p.read_bytes()
    return blob


def _counts(ws: Workspace) -> tuple[int, int, int, int]:
    with ws.db.read() as con:
        return tuple(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0]  # type: ignore[return-value]
                     for t in ("leaks", "leaked_keys", "evidence_files", "audit_log"))


def test_csv_dump_keeps_only_fingerprints_and_hash(ws: Workspace, tmp_path: Path,
                                                   capsys: pytest.CaptureFixture[str]) -> None:
    incoming = tmp_path / "incoming"
    incoming.mkdir()
    keys = _material(6)
    dump = incoming / "3c_dump.csv"
    dump.write_text("exchange,api_key,secret,passphrase\n" + "".join(f"{e},{k},{s},{p}\n" for e, k, s, p in keys)
                    + f"{keys[0][0]},{keys[0][1]},{keys[0][2]},{keys[0][3]}\n")  # a repeated row
    db = str(ws.settings.db_path)
    assert main(["--db", db, "leaks", "import", str(dump), "--source", "pastebin", "--date", "2022-12-28",
                 "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["key_count"] == 6 and out["rows_read"] == 7 and out["duplicates"] == 1
    assert out["already_imported"] is False and out["leak_date"] == "2022-12-28"
    with ws.db.read() as con:
        got = {(r["fingerprint"], r["exchange"], r["source_row"])
               for r in rows(con, "SELECT * FROM leaked_keys")}
        leak = rows(con, "SELECT * FROM leaks")
        ev = rows(con, "SELECT sha256, stored, kind FROM evidence_files")
    expected = {(api_key_fingerprint(e, k), e.lower(), i + 1) for i, (e, k, _, _) in enumerate(keys)}
    assert got == expected
    assert leak[0]["source"] == "pastebin" and str(leak[0]["leak_date"]) == "2022-12-28"
    assert leak[0]["key_count"] == 6
    assert ev == [{"sha256": out["leak_id"], "stored": False, "kind": "leak_dump_digest"}]
    assert not any(p.is_file() for p in ws.settings.evidence_dir.rglob("*"))
    # no secret, passphrase or raw key anywhere on disk: database, WAL, evidence folder, audit anchor
    on_disk = _all_bytes_except(tmp_path, incoming)
    for _, k, s, p in keys:
        for value in (k, s, p):
            assert value.encode() not in on_disk
    assert api_key_fingerprint(keys[1][0], keys[1][1]).encode() in on_disk  # the search itself works
    # importing the same dump again changes nothing
    before = _counts(ws)
    assert main(["--db", db, "leaks", "import", str(dump)]) == 0
    assert "already imported" in capsys.readouterr().out
    assert _counts(ws) == before


def test_json_and_json_lines_dumps(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    keys = _material(3)
    a = tmp_path / "dump.json"
    a.write_text(json.dumps({"keys": [{"Exchange": e, "apiKey": k, "secretKey": s, "passphrase": p}
                                      for e, k, s, p in keys]}))
    b = tmp_path / "dump.jsonl"
    b.write_text("\n".join(json.dumps({"exchange": e, "key": k, "secret": s}) for e, k, s, _ in keys) + "\n\n")
    db = str(ws.settings.db_path)
    assert main(["--db", db, "leaks", "import", str(a)]) == 0
    assert "Imported 3 key fingerprints from dump.json" in capsys.readouterr().out
    assert main(["--db", db, "leaks", "import", str(b), "--source", "mirror"]) == 0
    with ws.db.read() as con:
        by_leak = rows(con, "SELECT l.source, count(*) AS n, count(DISTINCT k.fingerprint) AS d FROM leaked_keys k "
                            "JOIN leaks l USING (leak_id) GROUP BY l.source ORDER BY l.source")
        fps = {r["fingerprint"] for r in rows(con, "SELECT fingerprint FROM leaked_keys")}
    assert by_leak == [{"source": "dump.json", "n": 3, "d": 3}, {"source": "mirror", "n": 3, "d": 3}]
    assert fps == {api_key_fingerprint(e, k) for e, k, _, _ in keys}


def test_headerless_semicolon_dump(ws: Workspace, tmp_path: Path) -> None:
    keys = _material(2)
    dump = tmp_path / "raw.txt"
    dump.write_text("".join(f"{e};{k};{s};{p}\r\n" for e, k, s, p in keys))
    assert main(["--db", str(ws.settings.db_path), "leaks", "import", str(dump)]) == 0
    with ws.db.read() as con:
        got = sorted((r["source_row"], r["fingerprint"]) for r in rows(con, "SELECT * FROM leaked_keys"))
    assert got == [(1, api_key_fingerprint(keys[0][0], keys[0][1])), (2, api_key_fingerprint(keys[1][0], keys[1][1]))]


@pytest.mark.parametrize(("content", "message"), [
    ("exchange,api_key,secret,passphrase\nbinance,AKgood1,{s},x\nbinance,,{s},x\n",
     "dump.csv, row 2, column 'api_key': the API key is missing"),
    ("exchange,api_key,secret\nbinance,AK one,{s}\n",
     "dump.csv, row 1, column 'api_key': the API key contains white space"),
    ("exchange,api_key,secret\n,AKx,{s}\n", "dump.csv, row 1, column 'exchange': the exchange is missing"),
    ("name,value\nbinance,{s}\n", "dump.csv: the header has no 'exchange' and 'api_key' columns"),
    ('[{{"exchange": "binance", "api_key": "AKa", "secret": "{s}"}}, "{s}"]',
     "dump.csv, row 2: the record is not an object"),
    ("", "dump.csv: the file is empty (0 bytes)"),
    ("\n\n", "dump.csv: the dump is empty"),
    ("exchange,api_key,secret\n", "dump.csv: the dump holds no API keys"),
])
def test_bad_dumps_name_row_and_column_never_the_secret(
        ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, message: str) -> None:
    secret = f"SEC{secrets.token_hex(20)}"
    dump = tmp_path / "dump.csv"
    dump.write_text(content.format(s=secret))
    before = _counts(ws)
    assert main(["--db", str(ws.settings.db_path), "leaks", "import", str(dump)]) == 1
    captured = capsys.readouterr()
    assert message in captured.err and captured.err.count("\n") == 1
    assert secret not in captured.err + captured.out
    assert _counts(ws) == before


def test_binary_dump_is_refused(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "dump.bin"
    dump.write_bytes(b"\x00\x01\xff" * 100)
    assert main(["--db", str(ws.settings.db_path), "leaks", "import", str(dump)]) == 1
    assert "dump.bin: the dump is a binary file" in capsys.readouterr().err


def test_bad_date_is_a_usage_error(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    dump = tmp_path / "d.csv"
    dump.write_text("exchange,api_key\nbinance,AK1\n")
    assert main(["--db", str(ws.settings.db_path), "leaks", "import", str(dump), "--date", "28/12/2022"]) == 2
    assert "--date '28/12/2022' is not a date" in capsys.readouterr().err


def test_json_grouped_by_exchange(ws: Workspace, tmp_path: Path) -> None:
    dump = tmp_path / "grouped.json"
    dump.write_text(json.dumps({"_comment": "x", "Binance": [{"apiKey": "AKb1", "secret": "S1"}],
                                "KuCoin": [{"apiKey": "AKk1", "secret": "S2", "passphrase": "P"}]}))
    assert main(["--db", str(ws.settings.db_path), "leaks", "import", str(dump)]) == 0
    with ws.db.read() as con:
        got = sorted((r["exchange"], r["fingerprint"]) for r in rows(con, "SELECT * FROM leaked_keys"))
    assert got == sorted([("binance", api_key_fingerprint("binance", "AKb1")),
                          ("kucoin", api_key_fingerprint("kucoin", "AKk1"))])


_TOKEN = st.text(alphabet=st.sampled_from("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="),
                 min_size=8, max_size=64)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["Binance", "kucoin", "OKX", "Coinbase Pro"]), _TOKEN, _TOKEN,
                          st.one_of(st.just(""), _TOKEN)), min_size=1, max_size=20),
       st.sampled_from(["csv", "json", "jsonl"]))
def test_dump_rendered_any_way_gives_the_same_fingerprints(
        rows_: list[tuple[str, str, str, str]], shape: str) -> None:
    if shape == "csv":
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\r\n")
        w.writerow(["Exchange", "API Key", "Secret", "Passphrase"])
        w.writerows(rows_)
        data = ("\ufeff" + buf.getvalue()).encode()
    elif shape == "json":
        data = json.dumps([{"exchange": e, "api_key": k, "api_secret": s, "passphrase": p}
                           for e, k, s, p in rows_]).encode()
    else:
        data = "\n".join(json.dumps({"exchange": e, "key": k, "secret": s}) for e, k, s, _ in rows_).encode()
    got = parse_dump(data, "dump")
    assert [(k.fingerprint, k.exchange, k.source_row) for k in got] == [
        (api_key_fingerprint(e, key), e.lower(), i) for i, (e, key, _, _) in enumerate(rows_, start=1)]
    assert all(s not in repr(got) for _, _, s, _ in rows_)


def test_a_folder_or_missing_file_is_refused(ws: Workspace, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    assert main(["--db", db, "leaks", "import", str(tmp_path)]) == 1
    assert "this is a folder, not an export file" in capsys.readouterr().err
    assert main(["--db", db, "leaks", "import", str(tmp_path / "nope.csv")]) == 1
    assert "nope.csv: the file does not exist" in capsys.readouterr().err


def test_check_a_key_against_imported_dumps(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    keys = _material(3)
    dump = tmp_path / "d.csv"
    dump.write_text("exchange,api_key,secret\n" + "".join(f"{e},{k},{s}\n" for e, k, s, _ in keys))
    db = str(ws.settings.db_path)
    assert main(["--db", db, "leaks", "import", str(dump), "--source", "pastebin", "--date", "2022-12-28"]) == 0
    capsys.readouterr()
    exchange, key = keys[1][0], keys[1][1]
    assert main(["--db", db, "leaks", "check", "--exchange", exchange.upper(), "--api-key", key, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["leaked"] is True and out["fingerprint"] == api_key_fingerprint(exchange, key)
    assert [(d["source"], d["leak_date"], d["source_row"]) for d in out["dumps"]] == [("pastebin", "2022-12-28", 2)]
    monkeypatch.setattr("sys.stdin", io.StringIO("AKnotleaked\n"))
    assert main(["--db", db, "leaks", "check", "--exchange", "binance", "--api-key", "-"]) == 0
    text = capsys.readouterr().out
    assert "is in none of the imported leaked dumps" in text and "AKnotleaked" not in text
