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
from tests.reports.conftest import UnitCert


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
    assert check.trial_certificate and "trusted only because you asked" in check.summary
    # without the certificate in the trust list the signature is intact and valid, but not trusted
    untrusted = sign.verify_pdf(signed)
    assert untrusted.intact and untrusted.valid and not untrusted.trusted and untrusted.trial_certificate
    assert "not trusted: signed with keytrace's trial self-signed certificate" in untrusted.summary


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


def _tsa() -> tuple[object, bytes]:
    """A throw-away RFC 3161 authority (pyHanko's in-process TSA) and its certificate as PEM."""
    from datetime import UTC, datetime, timedelta

    from asn1crypto import keys as asn1_keys
    from asn1crypto import x509 as asn1_x509
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
    from pyhanko.sign.timestamps.dummy_client import DummyTimeStamper

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test TSA")])
    now = datetime.now(UTC)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=2))
            .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.TIME_STAMPING]), critical=True)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(key, hashes.SHA256()))
    der_key = key.private_bytes(serialization.Encoding.DER, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    stamper = DummyTimeStamper(asn1_x509.Certificate.load(cert.public_bytes(serialization.Encoding.DER)),
                               asn1_keys.PrivateKeyInfo.load(der_key))
    return stamper, cert.public_bytes(serialization.Encoding.PEM)


def test_rfc3161_timestamp_is_embedded_and_checked(ws: Workspace, trial_cert: bytes) -> None:
    stamper, tsa_pem = _tsa()
    signed = sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={}), reason="t", timestamper=stamper)
    check = sign.verify_pdf(signed, [trial_cert, tsa_pem])
    assert check.intact and check.valid and check.trusted
    assert check.timestamp_time is not None and check.timestamp_intact
    plain = sign.verify_pdf(sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={}), reason="t"),
                            [trial_cert])
    assert plain.timestamp_time is None


def test_unreachable_timestamp_authority_is_one_sentence(ws: Workspace, trial_cert: bytes, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "keytrace.toml").write_text('[signing]\ntsa_url = "http://127.0.0.1:9/tsa"\n')
    monkeypatch.chdir(tmp_path)
    local = Workspace(load_settings(ws.settings.db_path, env={}))
    identity = sign.signing_identity(local, env={})
    assert identity.tsa_url == "http://127.0.0.1:9/tsa" and identity.origin == "trial certificate"
    with pytest.raises(ConfigError, match="timestamp authority http://127.0.0.1:9/tsa could not be reached"):
        sign.sign_pdf_bytes(_plain_pdf(), identity, reason="t")


def test_verify_command_trusts_the_trial_certificate_only_when_asked(ws: Workspace, trial_cert: bytes,
                                                                     tmp_path: Path,
                                                                     capsys: pytest.CaptureFixture[str]) -> None:
    import json

    pdf_path = tmp_path / "trial.pdf"
    pdf_path.write_bytes(sign.sign_pdf_bytes(_plain_pdf(), sign.signing_identity(ws, env={}), reason="t"))
    db = str(ws.settings.db_path)
    # by default: intact and valid (exit 0), but plainly not trusted, and why
    assert main(["--db", db, "report", "verify", str(pdf_path)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("trial.pdf: intact and valid, not trusted: signed with keytrace's trial self-signed "
                          "certificate, which proves only that the file is unchanged since this workspace signed "
                          "it; pass --trust-trial-cert to trust it (for a test workspace only) or --trust PEM for "
                          "a real signer"), out
    assert main(["--db", db, "report", "verify", str(pdf_path), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["intact"], found["valid"], found["trusted"], found["trial_certificate"]) == (
        True, True, False, True)
    # asked for: trusted, and still named a trial certificate
    assert main(["--db", db, "report", "verify", str(pdf_path), "--trust-trial-cert", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["trusted"], found["trial_certificate"]) == (True, True)
    assert found["summary"].startswith("intact and valid, trusted only because you asked")


def test_trust_trial_cert_without_a_trial_certificate_is_one_sentence(ws: Workspace, tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    pdf_path = tmp_path / "plain.pdf"
    pdf_path.write_bytes(_plain_pdf())
    assert main(["--db", str(ws.settings.db_path), "report", "verify", str(pdf_path), "--trust-trial-cert"]) == 1
    assert capsys.readouterr().err == ("keytrace: this workspace has no trial certificate "
                                       "(`keytrace init --self-signed-cert` makes one)\n")


def test_a_real_certificate_is_trusted_through_its_authority_and_never_flagged_as_trial(
        ws: Workspace, unit_cert: UnitCert, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import json

    identity = sign.signing_identity(ws)
    assert identity.origin == "environment"
    pdf_path = tmp_path / "unit.pdf"
    pdf_path.write_bytes(sign.sign_pdf_bytes(_plain_pdf(), identity, reason="t"))
    ca = tmp_path / "ca.pem"
    ca.write_bytes(unit_cert.ca_pem)
    db = str(ws.settings.db_path)
    assert main(["--db", db, "report", "verify", str(pdf_path), "--trust", str(ca), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["trusted"], found["trial_certificate"], found["summary"]) == (
        True, False, "intact, valid and trusted")
    assert "Unit 7 evidence signer" in found["signer"]
    # the workspace's own configured (non-trial) certificate is trusted by default
    assert main(["--db", db, "report", "verify", str(pdf_path)]) == 0
    assert "intact, valid and trusted" in capsys.readouterr().out
