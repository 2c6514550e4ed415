"""PAdES signing with a PKCS#12 certificate, and validation that catches a one-byte change."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.serialization import pkcs12
from reportlab.pdfgen.canvas import Canvas

from app.cli import main
from core.config import load_settings
from core.errors import ConfigError
from core.workspace import Workspace
from reports import sign


def _plain_pdf(text: str = "keytrace signing test") -> bytes:
    buf = io.BytesIO()
    c = Canvas(buf)
    c.drawString(72, 720, text)
    c.showPage()
    c.save()
    return buf.getvalue()


def test_trial_certificate_is_private_and_signs_a_pdf_that_validates(ws: Workspace, trial_cert: bytes) -> None:
    path = sign.trial_pkcs12_path(ws)
    assert path.stat().st_mode & 0o777 == 0o600
    identity = sign.signing_identity(ws, env={})
    assert identity.origin == "trial certificate"
    signed = sign.sign_pdf_bytes(_plain_pdf(), identity, reason="test")
    check = sign.verify_pdf(signed, [trial_cert])
    assert (check.signed, check.intact, check.valid, check.trusted, check.covers_whole_file) == (
        True, True, True, True, True)
    assert "keytrace trial signer" in check.signer
    # without the certificate in the trust list the signature is intact and valid, but not trusted
    untrusted = sign.verify_pdf(signed)
    assert untrusted.intact and untrusted.valid and not untrusted.trusted


@pytest.mark.parametrize("where", [0.25, 0.5, 0.75])
def test_one_changed_byte_makes_validation_fail(ws: Workspace, trial_cert: bytes, where: float) -> None:
    signed = sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={}), reason="test")
    reader_ranges = _signed_ranges(signed)
    # pick a byte inside the signed ranges (never inside the signature value itself)
    start, length = reader_ranges[0]
    pos = start + int(length * where)
    tampered = bytearray(signed)
    tampered[pos] ^= 0x01
    check = sign.verify_pdf(bytes(tampered), [trial_cert])
    assert not (check.intact and check.valid)
    assert sign.verify_pdf(signed, [trial_cert]).intact


def _signed_ranges(data: bytes) -> list[tuple[int, int]]:
    i = data.rindex(b"/ByteRange")
    nums = data[i:i + 120].split(b"[", 1)[1].split(b"]", 1)[0].split()
    a, b, c, d = (int(x) for x in nums)
    return [(a, b), (c, d)]


def test_unsigned_pdf_is_reported_as_unsigned() -> None:
    check = sign.verify_pdf(_plain_pdf())
    assert not check.signed and "no signature" in check.summary


def test_configured_pkcs12_from_keytrace_toml(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # a PKCS#12 of our own, named in keytrace.toml with its passphrase in an environment variable
    other = Workspace(load_settings(tmp_path / "other.duckdb"))
    other.init()
    trial = sign.create_self_signed(other, common_name="Unit 7 signing")
    key, cert, _ = pkcs12.load_key_and_certificates(trial.read_bytes(), sign._trial_passphrase(other))
    assert key is not None and cert is not None
    p12 = tmp_path / "unit.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"unit", key, cert, None, serialization.BestAvailableEncryption(b"correct horse")))  # type: ignore[arg-type]
    (tmp_path / "keytrace.toml").write_text(
        f'[signing]\npkcs12 = "{p12}"\npassphrase_env = "UNIT_P12_PASS"\n')
    monkeypatch.chdir(tmp_path)
    ws = Workspace(load_settings(tmp_path / "case.duckdb", env={}))
    with pytest.raises(ConfigError, match="UNIT_P12_PASS is not set"):
        sign.signing_identity(ws, env={})
    identity = sign.signing_identity(ws, env={"UNIT_P12_PASS": "correct horse"})
    assert identity.origin == "keytrace.toml"
    signed = sign.sign_pdf_bytes(_plain_pdf(), identity, reason="t")
    check = sign.verify_pdf(signed, [cert.public_bytes(serialization.Encoding.PEM)])
    assert check.trusted and "Unit 7 signing" in check.signer
    with pytest.raises(ConfigError, match="wrong passphrase"):
        sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={"UNIT_P12_PASS": "wrong"}), reason="t")


def test_no_certificate_is_one_clear_sentence(ws: Workspace) -> None:
    with pytest.raises(ConfigError, match="keytrace init --self-signed-cert"):
        sign.signing_identity(ws, env={})


def test_init_self_signed_cert_option(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                      monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("KEYTRACE_DB", "KEYTRACE_SECRET_KEY", "KEYTRACE_KEY_FILE", "KEYTRACE_EVIDENCE_DIR",
                "KEYTRACE_CONFIG", "KEYTRACE_SIGNING_PKCS12"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "c.duckdb"
    assert main(["--db", str(db), "init", "--self-signed-cert"]) == 0
    assert "Trial signing certificate" in capsys.readouterr().out
    p12 = tmp_path / "c.duckdb.signing.p12"
    assert p12.exists() and os.stat(p12).st_mode & 0o777 == 0o600


def test_verify_command_trust_file_errors_are_one_sentence(ws: Workspace, trial_cert: bytes, tmp_path: Path,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    pdf_path = tmp_path / "s.pdf"
    pdf_path.write_bytes(sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={}), reason="t"))
    bad = tmp_path / "bad.pem"
    bad.write_text("not a certificate")
    db = str(ws.settings.db_path)
    assert main(["--db", db, "report", "verify", str(pdf_path), "--trust", str(bad)]) == 1
    err = capsys.readouterr().err
    assert err == f"keytrace: {bad}: this is not a PEM certificate\n"
    good = tmp_path / "good.pem"
    good.write_bytes(trial_cert)
    assert main(["--db", db, "report", "verify", str(pdf_path), "--trust", str(good), "--json"]) == 0
    out = capsys.readouterr()
    assert '"trusted": true' in out.out and out.err == ""
