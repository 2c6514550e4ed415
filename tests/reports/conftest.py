"""Fixtures for report tests: a hand-made case in a real workspace, with a trial signing certificate."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from pypdf import PdfReader

from core.workspace import Workspace
from reports import sign
from tests.reports.casebuilder import Case, build_case


@pytest.fixture
def case(ws: Workspace, tmp_path: Path) -> Case:
    src = tmp_path / "sources"
    src.mkdir()
    return build_case(ws, src, n_trades=12)


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    """One RSA key for every test's trial certificate (making a 3072-bit key takes a while)."""
    return rsa.generate_private_key(public_exponent=65537, key_size=3072)


@pytest.fixture
def trial_cert(ws: Workspace, signing_key: rsa.RSAPrivateKey) -> bytes:
    """Make the workspace's self-signed trial certificate; returns its PEM (the trust root for checks)."""
    sign.create_self_signed(ws, key=signing_key)
    return sign.signer_certificate_pem(sign.signing_identity(ws, env={}))


@dataclass(frozen=True)
class UnitCert:
    """A signing certificate issued by a (test) certification authority: not self-signed, not a trial one."""

    p12: Path
    passphrase: str
    ca_pem: bytes


@pytest.fixture
def unit_cert(tmp_path: Path, signing_key: rsa.RSAPrivateKey, monkeypatch: pytest.MonkeyPatch) -> UnitCert:
    """A unit's certificate from a test CA, configured through KEYTRACE_SIGNING_PKCS12 (origin "environment")."""
    now = datetime.now(UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Test Police Unit CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name).public_key(ca_key.public_key())
          .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
          .not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=False, content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                       crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
          .sign(ca_key, hashes.SHA256()))
    leaf = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Unit 7 evidence signer"),
                                     x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Test Police Unit")]))
            .issuer_name(ca_name).public_key(signing_key.public_key())
            .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
            .not_valid_after(now + timedelta(days=30))
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                         data_encipherment=False, key_agreement=False, key_cert_sign=False,
                                         crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .sign(ca_key, hashes.SHA256()))
    p12 = tmp_path / "unit7.p12"
    p12.write_bytes(pkcs12.serialize_key_and_certificates(
        b"unit7", signing_key, leaf, [ca], serialization.BestAvailableEncryption(b"unit seven")))
    monkeypatch.setenv("KEYTRACE_SIGNING_PKCS12", str(p12))
    monkeypatch.setenv("KEYTRACE_SIGNING_PASSPHRASE", "unit seven")
    return UnitCert(p12, "unit seven", ca.public_bytes(serialization.Encoding.PEM))


def pdf_pages(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (table cells and wrapped lines compare simply)."""
    return " ".join(text.split())
