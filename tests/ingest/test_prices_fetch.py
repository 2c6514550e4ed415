"""keytrace prices fetch against recorded kline files served from a local HTTP server on 127.0.0.1."""

from __future__ import annotations

import functools
import hashlib
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from datetime import UTC, datetime
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from app.cli import main
from core.workspace import Workspace
from tests.ingest.format_helpers import FIXTURES, D, stored, table_counts

MONTHLY = "data/spot/monthly/klines/AKROUSDT/1m"
DAILY = "data/spot/daily/klines/AKROUSDT/1m"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - the base class's name
        pass


def _publish(root: Path, rel: str, inner: str, csv_text: str, *, checksum: str | None = None) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr(inner, csv_text)
    digest = checksum or hashlib.sha256(path.read_bytes()).hexdigest()
    path.with_name(path.name + ".CHECKSUM").write_text(f"{digest}  {path.name}\n")


@pytest.fixture
def mirror(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    root = tmp_path / "mirror"
    december = (FIXTURES / "prices" / "AKROUSDT-1m-2022-12.zip")
    with zipfile.ZipFile(december) as z:
        december_csv = z.read("AKROUSDT-1m-2022-12.csv").decode()
    _publish(root, f"{MONTHLY}/AKROUSDT-1m-2022-12.zip", "AKROUSDT-1m-2022-12.csv", december_csv)
    # January 2023 has no monthly file yet: only the daily file of the 1st (the 2nd is not published)
    _publish(root, f"{DAILY}/AKROUSDT-1m-2023-01-01.zip", "AKROUSDT-1m-2023-01-01.csv",
             "1672531200000,0.00300000,0.00310000,0.00290000,0.00305000,500000.00000000,1672531259999,"
             "1520.00000000,12,250000.00000000,760.00000000,0\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", root
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def test_fetch_monthly_then_daily_files_through_the_pipeline(ws: Workspace, mirror: tuple[str, Path],
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = mirror
    db = str(ws.settings.db_path)
    assert main(["--db", db, "prices", "fetch", "AKRO/USDT", "--from", "2022-12-25", "--to", "2023-01-02",
                 "--base-url", url, "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["files"] == ["AKROUSDT-1m-2022-12.zip", "AKROUSDT-1m-2023-01-01.zip"]
    assert out["missing"] == ["AKROUSDT-1m-2023-01.zip", "AKROUSDT-1m-2023-01-02.zip"]
    assert (out["pair"], out["bars_read"], out["bars_added"]) == ("AKRO/USDT", 3, 3)
    bars = stored(ws, "price_bars", "TRUE ORDER BY open_time --")
    assert [(b["open_time"], b["close"]) for b in bars] == [
        (datetime(2022, 12, 25, 16, 29, tzinfo=UTC), D("0.00518")),
        (datetime(2022, 12, 25, 16, 30, tzinfo=UTC), D("0.0421")),
        (datetime(2023, 1, 1, tzinfo=UTC), D("0.00305"))]
    with ws.db.read() as con:
        ev = con.execute("SELECT original_name, stored FROM evidence_files ORDER BY 1").fetchall()
    assert ev == [("AKROUSDT-1m-2022-12.zip", True), ("AKROUSDT-1m-2023-01-01.zip", True)]
    # fetching again adds nothing
    assert main(["--db", db, "prices", "fetch", "AKROUSDT", "--from", "2022-12-25", "--to", "2023-01-02",
                 "--base-url", url]) == 0
    assert "0 added" in capsys.readouterr().out


def test_checksum_mismatch_is_refused(ws: Workspace, mirror: tuple[str, Path],
                                      capsys: pytest.CaptureFixture[str]) -> None:
    url, root = mirror
    _publish(root, f"{MONTHLY}/AKROUSDT-1m-2022-11.zip", "AKROUSDT-1m-2022-11.csv",
             "1667260800000,1,1,1,1,1,1667260859999,1,1,1,1,0\n", checksum="0" * 64)
    before = table_counts(ws)
    assert main(["--db", str(ws.settings.db_path), "prices", "fetch", "AKRO/USDT", "--from", "2022-11-05",
                 "--to", "2022-11-06", "--base-url", url]) == 1
    assert "AKROUSDT-1m-2022-11.zip does not match its published SHA-256 checksum" in capsys.readouterr().err
    assert table_counts(ws) == before


def test_no_network_and_nothing_published(ws: Workspace, mirror: tuple[str, Path],
                                          capsys: pytest.CaptureFixture[str]) -> None:
    url, _ = mirror
    db = str(ws.settings.db_path)
    assert main(["--db", db, "prices", "fetch", "AKRO/USDT", "--from", "2021-03-01", "--to", "2021-03-01",
                 "--base-url", url]) == 1
    assert "has no AKROUSDT 1m kline files for 2021-03-01 to 2021-03-01" in capsys.readouterr().err
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        closed = s.getsockname()[1]
    assert main(["--db", db, "prices", "fetch", "AKRO/USDT", "--from", "2022-12-25", "--to", "2022-12-25",
                 "--base-url", f"http://127.0.0.1:{closed}"]) == 1
    err = capsys.readouterr().err
    assert "cannot reach the price server at http://127.0.0.1" in err and err.count("\n") == 1
    assert main(["--db", db, "prices", "fetch", "NOPE!", "--from", "2022-12-25", "--to", "2022-12-25"]) == 1
    assert "the pair 'NOPE!' is not like BTC/USDT" in capsys.readouterr().err
    assert main(["--db", db, "prices", "fetch", "AKRO/USDT", "--from", "2022-12-26", "--to", "2022-12-25"]) == 1
    assert "--to 2022-12-25 is before --from 2022-12-26" in capsys.readouterr().err
