"""Fuzz every parser with hypothesis until only clean errors remain.

Each property feeds mutated real fixtures (and plain garbage) to one entry point and accepts exactly two
outcomes: success, or a :class:`core.errors.KeytraceError` whose message is one line, carries no secret
of the input, and leaves the database exactly as it was (every table's row count, the audit head and
the evidence folder). Any other exception type fails. The number of examples is bounded so the suite
stays fast; the figures are printed at the end.
"""

from __future__ import annotations

import os
import secrets as pysecrets
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app import claims, secrets_scan, sql_console
from core.errors import KeytraceError
from core.fingerprint import normalise_exchange
from core.workspace import Workspace
from ingest import leaks
from ingest.api import ingest_file
from ingest.chain import files as chain_files
from tests.app.conftest import People
from tests.conftest import FIXTURES
from tests.security.conftest import Report

EXAMPLES = int(os.environ.get("KEYTRACE_FUZZ_EXAMPLES", "20"))  # raise it for a longer campaign
FAST = settings(max_examples=EXAMPLES, deadline=None, database=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                       HealthCheck.data_too_large])
# every file `keytrace ingest` reads: exchange exports (CSV, JSON API answers), bot-platform logs, prices
EXPORTS = sorted(p for d in ("exchange_exports", "bot_platform", "prices") for p in (FIXTURES / d).iterdir()
                 if p.suffix in (".csv", ".json", ".zip") and p.stat().st_size < 2_000_000)
ONCHAIN = [p for p in sorted((FIXTURES / "onchain").iterdir()) if p.suffix in (".csv", ".jsonl")]
NASTY = ["=1+1", "\u202e", "\x00", "\ufeff", "𝟘", "9" * 60, "-0", "1e309", "NaN", "'", '"', "\\", "\r", "\n",
         "2022-13-45 25:61:61", "0x" + "f" * 64, "../..", "<script>", "NULL", ",,,,", ";"]


def db_state(ws: Workspace) -> tuple[Any, ...]:
    with ws.db.read() as con:
        tables = [r[0] for r in con.execute("SELECT table_name FROM information_schema.tables "
                                            "WHERE table_schema = 'main' AND table_type = 'BASE TABLE' "
                                            "ORDER BY table_name").fetchall()]
        counts = tuple((t, con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0]) for t in tables)
        head = con.execute("SELECT max(seq), max_by(entry_hash, seq) FROM audit_log").fetchall()[0]
    files = tuple(sorted(str(p) for p in ws.settings.evidence_dir.rglob("*") if p.is_file()))
    return counts, head, files


@st.composite
def mutated(draw: st.DrawFn, sources: list[Path]) -> bytes:
    """A real fixture with a few edits: bytes flipped, cut, repeated, nasty cells spliced in, or garbage."""
    src = draw(st.sampled_from(sources))
    data = bytearray(src.read_bytes()[:20_000])
    how = draw(st.sampled_from(["bytes", "cells", "truncate", "duplicate", "garbage", "header_only"]))
    if how == "bytes":
        for _ in range(draw(st.integers(1, 8))):
            i = draw(st.integers(0, max(0, len(data) - 1)))
            data[i:i + 1] = bytes([draw(st.integers(0, 255))])
    elif how == "cells":
        text = data.decode("utf-8", "replace")
        head, _, body = text.partition("\n")  # keep the header, so the file is still recognised
        parts = body.split(",")
        for _ in range(draw(st.integers(1, 6))):
            i = draw(st.integers(0, max(0, len(parts) - 1)))
            parts[i] = draw(st.one_of(st.sampled_from(NASTY), st.text(max_size=20)))
        data = bytearray((head + "\n" + ",".join(parts)).encode("utf-8", "surrogatepass"))
    elif how == "truncate":
        data = data[: draw(st.integers(0, len(data)))]
    elif how == "duplicate":
        lines = bytes(data).splitlines(keepends=True)
        data = bytearray(b"".join(lines + lines[1:]))
    elif how == "garbage":
        data = bytearray(draw(st.binary(max_size=2000)))
    else:
        data = bytearray(bytes(data).splitlines(keepends=True)[0] if data else b"")
    return bytes(data)


class Tally:
    def __init__(self) -> None:
        self.outcomes: Counter[str] = Counter()

    def run(self, ws: Workspace, fn: Callable[[], object], secrets_in: tuple[str, ...] = ()) -> bool:
        before = db_state(ws)
        try:
            fn()
        except KeytraceError as exc:
            message = str(exc)
            assert "\n" not in message and "Traceback" not in message
            for s in secrets_in:
                assert s not in message, "an error message carries a secret of the input"
            assert db_state(ws) == before, f"a refused input changed the database: {message}"
            self.outcomes[type(exc).__name__] += 1
            return False
        self.outcomes["accepted"] += 1
        return True

    def line(self, what: str) -> str:
        total = sum(self.outcomes.values())
        parts = ", ".join(f"{k} {v}" for k, v in sorted(self.outcomes.items()))
        return f"fuzz {what}: {total} inputs, 0 unclean errors ({parts})"


@pytest.fixture
def tally(report: Report) -> Iterator[Callable[[str], Tally]]:
    made: list[tuple[str, Tally]] = []

    def make(what: str) -> Tally:
        t = Tally()
        made.append((what, t))
        return t

    yield make
    for what, t in made:
        report(t.line(what))


def test_fuzz_exchange_exports(ws: Workspace, tmp_path: Path, tally: Callable[[str], Tally]) -> None:
    t = tally(f"keytrace ingest ({len(EXPORTS)} real formats mutated)")
    n = iter(range(10**6))

    @FAST
    @given(data=mutated(EXPORTS), suffix=st.sampled_from([".csv", ".json", ".xlsx", ".zip", ".txt"]))
    def prop(data: bytes, suffix: str) -> None:
        path = tmp_path / f"f{next(n)}{suffix}"
        path.write_bytes(data)
        t.run(ws, lambda: ingest_file(ws, path, account="38811234"))

    prop()
    assert sum(t.outcomes.values()) >= EXAMPLES


def test_fuzz_leak_dumps(ws: Workspace, tmp_path: Path, tally: Callable[[str], Tally]) -> None:
    t = tally("keytrace leaks import")
    n = iter(range(10**6))

    @FAST
    @given(rows=st.lists(st.tuples(st.sampled_from(["binance", "kucoin", "", "=x", "\u202e", "okx"]),
                                   st.one_of(st.text(max_size=70), st.just("")), st.sampled_from(NASTY)),
                         max_size=6),
           header=st.sampled_from(["exchange,api_key,secret", "market_code,key,secret_key", "a,b,c", ""]),
           as_json=st.booleans())
    def prop(rows: list[tuple[str, str, str]], header: str, as_json: bool) -> None:
        secret_values = tuple(pysecrets.token_hex(24) for _ in rows)
        if as_json:
            import json
            body = json.dumps([{"exchange": e, "api_key": k, "secret": s}
                               for (e, k, _), s in zip(rows, secret_values, strict=True)])
        else:
            body = header + "\n" + "\n".join(f"{e},{k.replace(',', '')}{x},{s}"
                                              for (e, k, x), s in zip(rows, secret_values, strict=True))
        path = tmp_path / f"dump{next(n)}.csv"
        path.write_text(body, encoding="utf-8", errors="surrogatepass")
        if t.run(ws, lambda: leaks.import_dump(ws, path, actor="fuzz"), secrets_in=secret_values):
            kept.extend(secret_values)
        path.unlink()

    kept: list[str] = []
    prop()
    # the secrets of accepted dumps never reached the disk (database, WAL, evidence, anything beside it)
    stored = b"".join(p.read_bytes() for p in ws.settings.db_path.parent.rglob("*") if p.is_file())
    assert kept and not [s for s in kept if s.encode() in stored]
    assert sum(t.outcomes.values()) >= EXAMPLES


def test_fuzz_chain_files(ws: Workspace, tmp_path: Path, tally: Callable[[str], Tally]) -> None:
    t = tally(f"keytrace chain import ({len(ONCHAIN)} real files mutated)")
    n = iter(range(10**6))

    @FAST
    @given(data=mutated(ONCHAIN), pick=st.sampled_from(ONCHAIN))
    def prop(data: bytes, pick: Path) -> None:
        path = tmp_path / f"c{next(n)}_{pick.name}"
        path.write_bytes(data)
        t.run(ws, lambda: chain_files.import_file(ws, path))

    prop()
    assert sum(t.outcomes.values()) >= EXAMPLES


def test_fuzz_claim_form(ws: Workspace, people: People, tally: Callable[[str], Tally]) -> None:
    t = tally("claim form (every field)")
    text = st.one_of(st.text(max_size=300), st.sampled_from(NASTY), st.none())

    @FAST
    @given(exchange=st.one_of(st.text(max_size=20), st.sampled_from(["binance", "KuCoin", " okx "])),
           account=text, name=text, email=text, phone=text, statement=text, loss=text, key=text)
    def prop(exchange: str, account: str | None, name: str | None, email: str | None, phone: str | None,
             statement: str | None, loss: str | None, key: str | None) -> None:
        t.run(ws, lambda: claims.file_claim(ws, people.victim, exchange=exchange, account=account or "",
                                            contact_name=name, contact_email=email, contact_phone=phone,
                                            statement=statement, claimed_loss_usd=loss, api_key=key))

    prop()
    assert sum(t.outcomes.values()) >= EXAMPLES


def test_fuzz_sql_console(ws: Workspace, people: People, tally: Callable[[str], Tally], report: Report) -> None:
    """Arbitrary text and known escape attempts: the console reads, never writes, never leaves the database."""
    t = tally("SQL console")
    attacks = ["DELETE FROM audit_log", "DROP TABLE claims", "UPDATE claims SET status='verified'",
               "ATTACH 'x.duckdb' AS x", "COPY claims TO 'out.csv'", "INSTALL httpfs", "LOAD httpfs",
               "SET lock_configuration = false", "SET enable_external_access = true",
               "SELECT * FROM read_csv('/etc/passwd')", "SELECT * FROM '/etc/passwd'",
               "SELECT * FROM users", "WITH u AS (SELECT * FROM users) SELECT * FROM u",
               "SELECT * FROM (SELECT token_hash FROM sessions)", "SELECT * FROM main.users",
               "SELECT 1; DELETE FROM claims", "PRAGMA database_list", "CALL pragma_version()",
               "EXPORT DATABASE 'x'", "CHECKPOINT", "SELECT * FROM read_text('" + str(ws.settings.key_file) + "')",
               "SELECT getenv('HOME')", "CREATE TABLE x AS SELECT 1", "SUMMARIZE users", "PIVOT users ON role",
               "SELECT * FROM query('SELECT * FROM users')", "SELECT * FROM query_table('sess' || 'ions')",
               "SELECT (SELECT password_hash FROM users LIMIT 1)", "SELECT * FROM \"Users\""]
    key = ws.settings.key_file.read_text().strip()
    for sql in attacks:
        before = db_state(ws)
        try:
            result = sql_console.run_query(ws, people.investigator, sql)
            shown = repr(result.rows)
            assert key not in shown and "argon2" not in shown and "root:" not in shown, sql
            t.outcomes["accepted"] += 1
        except KeytraceError as exc:
            t.outcomes[type(exc).__name__] += 1
            assert "\n" not in str(exc)
        assert db_state(ws) == before, sql

    @settings(FAST, max_examples=10)
    @given(sql=st.one_of(st.text(max_size=200), st.builds(lambda a, b: f"SELECT {a} FROM {b}",
                                                          st.text(max_size=30), st.text(max_size=30))))
    def prop(sql: str) -> None:
        t.run(ws, lambda: sql_console.run_query(ws, people.investigator, sql, time_limit=2.0))

    prop()


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=400))
def test_fuzz_text_checks_raise_only_clean_errors(text: str) -> None:
    for fn in (lambda: secrets_scan.check("field", text), lambda: normalise_exchange(text),
               lambda: claims._money(text)):
        try:
            fn()
        except KeytraceError as exc:
            assert "\n" not in str(exc)


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    import zipfile

    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def _write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


XLSX_PARTS = {"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>",
              "xl/worksheets/sheet1.xml": b"<worksheet/>"}


@pytest.mark.parametrize("case", ["zip_bomb", "xlsx_bomb", "xlsx_external_link", "xlsx_macro", "zip_path_trick",
                                  "zip_two_members", "xlsx_many_parts", "not_a_zip"])
def test_archives_that_attack_the_reader_are_refused(ws: Workspace, tmp_path: Path, case: str,
                                                    report: Report) -> None:
    csv_text = (FIXTURES / "exchange_exports" / "binance_spot_trade_history_2021.csv").read_bytes()
    zeros = b"0" * (40 * 1024 * 1024)  # 40 MiB that deflate to ~40 KiB: a ratio near 1000
    path = {
        "zip_bomb": lambda: _zip(tmp_path / "trades.zip", {"trades.csv": csv_text[:60] + zeros}),
        "xlsx_bomb": lambda: _zip(tmp_path / "trades.xlsx", {**XLSX_PARTS, "xl/worksheets/sheet1.xml": zeros}),
        "xlsx_external_link": lambda: _zip(tmp_path / "trades.xlsx", {
            **XLSX_PARTS, "xl/externalLinks/externalLink1.xml": b"<externalLink/>",
            "xl/externalLinks/_rels/externalLink1.xml.rels":
                b'<Relationship Target="file:///etc/passwd" TargetMode="External"/>'}),
        "xlsx_macro": lambda: _zip(tmp_path / "trades.xlsx", {**XLSX_PARTS, "xl/vbaProject.bin": b"\0" * 64}),
        "zip_path_trick": lambda: _zip(tmp_path / "trades.zip", {"../../../tmp/evil.csv": csv_text}),
        "zip_two_members": lambda: _zip(tmp_path / "trades.zip", {"a.csv": csv_text, "b.csv": csv_text}),
        "xlsx_many_parts": lambda: _zip(tmp_path / "trades.xlsx", {**XLSX_PARTS, **{f"xl/media/i{i}.png": b"x"
                                                                                   for i in range(2100)}}),
        "not_a_zip": lambda: _write(tmp_path / "trades.xlsx", b"PK\x03\x04" + b"\xff" * 200),
    }[case]()
    before = db_state(ws)
    with pytest.raises(KeytraceError) as info:
        ingest_file(ws, path, account="38811234")
    assert "\n" not in str(info.value) and path.name in str(info.value)
    assert db_state(ws) == before
    assert not (Path("/tmp") / "evil.csv").exists()
    if case == "not_a_zip":
        report("archives: zip bomb, XLSX bomb, XLSX external link, XLSX macro, zip path trick, two-member zip, "
               "2,100-part XLSX, broken zip: 8 refused with one sentence, database unchanged")
