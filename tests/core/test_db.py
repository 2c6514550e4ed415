from __future__ import annotations

import threading
from pathlib import Path

import duckdb
import pytest

from core.config import load_settings
from core.db import Database, migrations
from core.errors import DatabaseBusyError
from core.workspace import Workspace


def test_migrations_are_numbered_uniquely_from_one() -> None:
    versions = [v for v, _, _ in migrations()]
    assert versions[0] == 1
    assert versions == sorted(set(versions))


def test_migration_applied_to_a_database_with_data_loses_nothing(tmp_path: Path) -> None:
    db = Database(load_settings(tmp_path / "m.duckdb"))
    latest = migrations()[-1][0]
    db.migrate(target=latest - 1)
    assert db.schema_version() == latest - 1
    with db.write() as con:
        con.execute("INSERT INTO evidence_files VALUES ('ab', 'x.csv', 3, 'text/csv', 'exchange_export', 'u', "
                    "TIMESTAMPTZ '2024-01-01 00:00:00+00', NULL, NULL, true)")
        con.execute("INSERT INTO trades VALUES ('binance','1',TIMESTAMPTZ '2022-12-25 22:29:00+00','AKRO/USDT',"
                    "'AKRO','USDT','buy',0.012345678901234567,100.5,1.2407406795,0.0001,'BNB',NULL,NULL,NULL,"
                    "'api',NULL,1,'ab',2,'run1','binance_trade_history')")
    with db.read() as con:
        before = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("evidence_files", "trades")}
    assert db.migrate() == [latest]
    with db.read() as con:
        after = {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in ("evidence_files", "trades")}
    assert after == before
    assert str(after["trades"][0][7]) == "0.012345678901234567"
    assert db.migrate() == []


def test_failed_transaction_leaves_database_unchanged(ws: Workspace) -> None:
    with pytest.raises(duckdb.Error), ws.db.write() as con:
        con.execute("INSERT INTO leaks VALUES ('l1', 'test', NULL, now(), 1)")
        con.execute("INSERT INTO leaks VALUES ('l1', 'dup', NULL, now(), 1)")
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM leaks").fetchall()[0][0] == 0


def test_read_connection_cannot_write(ws: Workspace) -> None:
    with pytest.raises(duckdb.Error), ws.db.read() as con:
        con.execute("DELETE FROM audit_log")


def test_writers_wait_for_each_other_and_time_out_cleanly(ws: Workspace) -> None:
    impatient = Database(ws.settings, lock_timeout=0.3)
    entered = threading.Event()
    release = threading.Event()

    def hold() -> None:
        with ws.db.write() as con:
            con.execute("INSERT INTO leaks VALUES ('l1', 'test', NULL, now(), 1)")
            entered.set()
            release.wait(5)

    t = threading.Thread(target=hold)
    t.start()
    entered.wait(5)
    with pytest.raises(DatabaseBusyError, match="busy"), impatient.write():
        pass
    release.set()
    t.join()
    with ws.db.write() as con:  # waits its turn, then works
        con.execute("INSERT INTO leaks VALUES ('l2', 'test', NULL, now(), 1)")
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM leaks").fetchall()[0][0] == 2


def test_every_connection_writes_numbers_and_times_one_way(ws: Workspace) -> None:
    """kt_plain and kt_iso_utc (core/sql/macros.sql) are on every connection, read or write: exact at any
    scale (a whole DECIMAL(38,0) keeps its zeros, a DECIMAL(38,8) loss past 20 digits is not cut)."""
    sql = ("SELECT kt_plain(CAST(100 AS DECIMAL(38, 0))), kt_plain(CAST(0 AS DECIMAL(38, 18))), "
           "kt_plain(CAST('-0.50' AS DECIMAL(38, 18))), kt_plain(CAST('123456789012345678901234.5' AS DECIMAL(38, 8))), "
           "kt_plain(CAST('170141183460469231731687303715884105727' AS HUGEINT)), kt_plain(NULL), "
           "kt_iso_utc(TIMESTAMPTZ '2022-12-01 03:04:05.25+02'), kt_iso_utc(TIMESTAMPTZ '2022-12-01 03:04:05+00')")
    expected = ("100", "0", "-0.5", "123456789012345678901234.5", "170141183460469231731687303715884105727", None,
                "2022-12-01T01:04:05.250000Z", "2022-12-01T03:04:05Z")
    with ws.db.read() as con:
        assert con.execute(sql).fetchall()[0] == expected
    with ws.db.write() as con:
        assert con.execute(sql).fetchall()[0] == expected
