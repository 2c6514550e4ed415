"""Fixtures for report tests: a hand-made case in a real workspace, with a trial signing certificate."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
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


def pdf_pages(path: Path) -> list[str]:
    reader = PdfReader(str(path))
    return [page.extract_text() or "" for page in reader.pages]


def flat(text: str) -> str:
    """Text with every run of whitespace made one space (table cells and wrapped lines compare simply)."""
    return " ".join(text.split())
