"""keytrace export parquet DIR / import parquet DIR: Hive-partitioned canonical tables, idempotent import."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from core.workspace import Workspace
from tests.queries.conftest import incident  # noqa: F401  (the fixture)


def keytrace(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "app.cli", *args], capture_output=True, text=True, check=False)


def _count(db: Path, sql: str) -> int:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return int(con.execute(sql).fetchall()[0][0])
    finally:
        con.close()


@pytest.fixture
def exported(incident: Workspace, tmp_path: Path) -> tuple[Path, Path]:  # noqa: F811
    db = incident.settings.db_path
    with incident.db.write() as con:
        con.execute("INSERT INTO transfers VALUES (1, 15123456, '0xb', TIMESTAMPTZ '2022-12-26 01:00:00+00', "
                    "'0xt1', 3, NULL, 'erc20', '0xdac17f958d2ee523a2206206994597c13d831ec7', "
                    "'0x1111111111111111111111111111111111111111', '0x2222222222222222222222222222222222222222', "
                    "'115792089237316195423570985008687907853269984665640564039457584007913129639935', NULL, "
                    "'file', NULL, 1, 'run1')").fetchall()
    out = tmp_path / "pq"
    done = keytrace("--db", str(db), "export", "parquet", str(out), "--json")
    assert done.returncode == 0, done.stderr
    return db, out


def test_export_writes_trades_by_exchange_and_month_and_transfers_by_chain_and_block_range(
        exported: tuple[Path, Path]) -> None:
    db, out = exported
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["tables"]["trades"]["partitioned_by"] == ["exchange", "month"]
    assert {p.name for p in (out / "trades").iterdir()} == {"exchange=binance", "exchange=kucoin"}
    assert {p.name for p in (out / "trades" / "exchange=kucoin").iterdir()} == {"month=2022-12"}
    assert (out / "transfers" / "chain_id=1" / "block_range=15100000").is_dir()
    trades = _count(db, "SELECT count(*) FROM trades")
    assert manifest["tables"]["trades"]["rows"] == trades
    con = duckdb.connect()
    back = con.execute(f"SELECT count(*), count(DISTINCT evidence_sha256 || source_row), min(ingest_run_id) "
                       f"FROM read_parquet('{out}/trades/**/*.parquet', hive_partitioning = true)").fetchall()[0]
    assert back[0] == trades and back[1] == trades and back[2] is not None   # provenance travels along
    value = con.execute(f"SELECT value FROM read_parquet('{out}/transfers/**/*.parquet')").fetchall()[0][0]
    assert value == str(2**256 - 1)


def test_import_into_a_new_database_restores_the_rows_and_is_idempotent(
        exported: tuple[Path, Path], tmp_path: Path) -> None:
    db, out = exported
    target = tmp_path / "copy.duckdb"
    assert keytrace("--db", str(target), "init").returncode == 0
    first = keytrace("--db", str(target), "import", "parquet", str(out), "--json")
    assert first.returncode == 0, first.stderr
    added = json.loads(first.stdout)["added"]
    assert added["trades"] == _count(db, "SELECT count(*) FROM trades") and added["transfers"] == 1
    same = ("SELECT exchange, account, time_utc, pair, side, price, quantity, quote_quantity, fee, "
            "evidence_sha256, source_row, ingest_run_id FROM trades ORDER BY evidence_sha256, source_row")
    a = duckdb.connect(str(db), read_only=True)
    b = duckdb.connect(str(target), read_only=True)
    try:
        assert a.execute(same).fetchall() == b.execute(same).fetchall()
        assert b.execute("SELECT value_u128 FROM transfers").fetchall() == [(None,)]   # 2^256-1: too big
    finally:
        a.close()
        b.close()
    again = keytrace("--db", str(target), "import", "parquet", str(out), "--json")
    assert again.returncode == 0, again.stderr
    assert set(json.loads(again.stdout)["added"].values()) == {0}
    assert _count(target, "SELECT count(*) FROM audit_log WHERE action = 'import.parquet'") == 2


def test_a_folder_with_a_broken_table_is_refused_and_nothing_is_imported(
        exported: tuple[Path, Path], tmp_path: Path) -> None:
    _db, out = exported
    broken = next((out / "price_bars").glob("*.parquet"))
    broken.write_bytes(b"not parquet at all")
    target = tmp_path / "copy.duckdb"
    assert keytrace("--db", str(target), "init").returncode == 0
    done = keytrace("--db", str(target), "import", "parquet", str(out))
    assert done.returncode == 1
    assert "price_bars" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    assert _count(target, "SELECT count(*) FROM trades") == 0


def test_export_refuses_a_folder_that_holds_files(incident: Workspace, tmp_path: Path) -> None:  # noqa: F811
    (tmp_path / "x.txt").write_text("keep me")
    done = keytrace("--db", str(incident.settings.db_path), "export", "parquet", str(tmp_path))
    assert done.returncode == 1 and "not an empty folder" in done.stderr
    assert (tmp_path / "x.txt").read_text() == "keep me"


def test_the_spark_engine_needs_its_input_folder_and_the_extra(tmp_path: Path) -> None:
    db = str(tmp_path / "case.duckdb")
    no_input = keytrace("--db", db, "detect", "--engine", "spark")
    assert no_input.returncode == 2 and "--input DIR" in no_input.stderr
    stray = keytrace("--db", db, "trace", "--from", "0x" + "1" * 40, "--model", "haircut", "--input", str(tmp_path))
    assert stray.returncode == 2 and "--engine spark" in stray.stderr
    try:
        import pyspark  # noqa: F401
    except ImportError:
        missing = keytrace("--db", db, "detect", "--engine", "spark", "--input", str(tmp_path))
        assert missing.returncode == 2 and "keytrace[spark]" in missing.stderr
