"""PAdES signatures on keytrace's PDF reports (pyHanko), and their validation.

Where the signing certificate comes from, first match wins:

1. ``KEYTRACE_SIGNING_PKCS12`` (path) with the passphrase in ``KEYTRACE_SIGNING_PASSPHRASE``;
2. the ``[signing]`` table of keytrace.toml::

       [signing]
       pkcs12 = "/etc/keytrace/unit-signing.p12"
       passphrase_env = "UNIT_P12_PASSPHRASE"   # name of the variable that holds the passphrase
       # or: passphrase_file = "/etc/keytrace/unit-signing.pass"
       tsa_url = "http://timestamp.example.org"  # optional: an RFC 3161 timestamp (PAdES B-T)

3. the trial certificate ``<db>.signing.p12`` that ``keytrace init --self-signed-cert`` makes; its
   passphrase is derived from the workspace's master key, so the file alone is useless.

A trial certificate is self-signed: its signature shows that a file is unchanged since it was signed,
never who signed it. :func:`verify_pdf` recognises one (self-signed, organisation
:data:`TRIAL_ORGANIZATION`) and trusts it only when it is in the trust list the caller passes; the PDF
cover of a report signed with one says so.

The signature is a PAdES baseline signature (``ETSI.CAdES.detached``, SHA-256) covering the whole
file; any later change to a signed byte makes :func:`verify_pdf` report it as not intact.
"""

from __future__ import annotations

import io
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.asymmetric.types import PrivateKeyTypes
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

from core.errors import ConfigError, InputError

if TYPE_CHECKING:
    from pyhanko.sign.signers import SimpleSigner
from core.workspace import Workspace

SIGNATURE_FIELD = "KeytraceSignature"
TRIAL_ORIGIN = "trial certificate"
TRIAL_ORGANIZATION = "keytrace (trial, not for court use)"
TRIAL_NOT_TRUSTED = (
    "not trusted: signed with keytrace's trial self-signed certificate, which proves only that the file is "
    "unchanged since this workspace signed it; pass --trust-trial-cert to trust it (for a test workspace "
    "only) or --trust PEM for a real signer")
TRIAL_TRUSTED = ("trusted only because you asked: signed with keytrace's trial self-signed certificate, which "
                 "shows the file is unchanged, not who issued it")


@dataclass(frozen=True)
class SigningIdentity:
    pkcs12_path: Path
    passphrase: bytes | None
    origin: str  # "environment", "keytrace.toml" or "trial certificate"
    tsa_url: str | None = None  # RFC 3161 timestamp authority: PAdES B-T instead of B-B


@dataclass(frozen=True)
class SignatureCheck:
    """What a reader of the signed file can rely on."""

    signed: bool
    intact: bool           # the signed bytes are unchanged
    valid: bool            # the cryptographic signature verifies
    trusted: bool          # the signer's certificate chains to a trusted root
    covers_whole_file: bool
    signer: str
    signing_time: datetime | None
    summary: str
    timestamp_time: datetime | None = None   # the time an RFC 3161 authority vouched for, when present
    timestamp_intact: bool = False
    trial_certificate: bool = False          # the signer is a keytrace trial (self-signed) certificate


def trial_pkcs12_path(ws: Workspace) -> Path:
    db = ws.settings.db_path
    return db.with_name(db.name + ".signing.p12")


def _trial_passphrase(ws: Workspace) -> bytes:
    return ws.keys.mac(b"keytrace trial signing certificate").encode()


def create_self_signed(ws: Workspace, common_name: str = "keytrace trial signer (self-signed)",
                       days: int = 825, overwrite: bool = False,
                       key: rsa.RSAPrivateKey | None = None) -> Path:
    """Make ``<db>.signing.p12``: an RSA-3072 key (or ``key``) and a self-signed certificate for trials
    (mode 0600)."""
    dest = trial_pkcs12_path(ws)
    if dest.exists() and not overwrite:
        return dest
    key = key or rsa.generate_private_key(public_exponent=65537, key_size=3072)
    name = x509.Name([
        x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        x509.NameAttribute(NameOID.ORGANIZATION_NAME, TRIAL_ORGANIZATION),
    ])
    now = datetime.now(UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - timedelta(minutes=5))
        .not_valid_after(now + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(x509.KeyUsage(digital_signature=True, content_commitment=True, key_encipherment=False,
                                     data_encipherment=False, key_agreement=False, key_cert_sign=True,
                                     crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
        .add_extension(x509.ExtendedKeyUsage([ExtendedKeyUsageOID.EMAIL_PROTECTION,
                                              ExtendedKeyUsageOID.CODE_SIGNING]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()), critical=False)
        .sign(key, hashes.SHA256())
    )
    blob = pkcs12.serialize_key_and_certificates(
        b"keytrace-trial", key, cert, None,
        serialization.BestAvailableEncryption(_trial_passphrase(ws)))
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(dest.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(blob)
    os.replace(tmp, dest)
    return dest


def signing_identity(ws: Workspace, env: dict[str, str] | None = None) -> SigningIdentity:
    """Find the configured PKCS#12 file and its passphrase (see the module docstring)."""
    env = dict(os.environ) if env is None else env
    cfg = ws.settings.section("signing")
    tsa = str(cfg["tsa_url"]) if cfg.get("tsa_url") else None
    if env.get("KEYTRACE_SIGNING_PKCS12"):
        path = Path(env["KEYTRACE_SIGNING_PKCS12"]).expanduser()
        pw = env.get("KEYTRACE_SIGNING_PASSPHRASE")
        return _checked(SigningIdentity(path, pw.encode() if pw else None, "environment", tsa))
    if cfg.get("pkcs12"):
        path = Path(str(cfg["pkcs12"])).expanduser()
        passphrase: bytes | None = None
        if cfg.get("passphrase_env"):
            var = str(cfg["passphrase_env"])
            if var not in env:
                raise ConfigError(f"the [signing] passphrase_env variable {var} is not set")
            passphrase = env[var].encode()
        elif cfg.get("passphrase_file"):
            try:
                passphrase = Path(str(cfg["passphrase_file"])).expanduser().read_text().strip().encode()
            except OSError as exc:
                raise ConfigError(f"the [signing] passphrase_file cannot be read: {exc.strerror}") from exc
        return _checked(SigningIdentity(path, passphrase, "keytrace.toml", tsa))
    trial = trial_pkcs12_path(ws)
    if trial.exists():
        return SigningIdentity(trial, _trial_passphrase(ws), TRIAL_ORIGIN, tsa)
    raise ConfigError("no signing certificate is configured: name a PKCS#12 file in the [signing] table of "
                      "keytrace.toml, or run `keytrace init --self-signed-cert` for a trial one, "
                      "or ask for an unsigned report with --unsigned")


def _checked(identity: SigningIdentity) -> SigningIdentity:
    if not identity.pkcs12_path.is_file():
        raise ConfigError(f"the signing certificate {identity.pkcs12_path} ({identity.origin}) does not exist")
    return identity


def read_pkcs12(identity: SigningIdentity) -> tuple[PrivateKeyTypes, x509.Certificate, list[x509.Certificate]]:
    """The key, certificate and further certificates of the identity's PKCS#12 file (the key stays in
    memory; a bad file or passphrase is one sentence)."""
    try:
        data = identity.pkcs12_path.read_bytes()
        key, cert, extra = pkcs12.load_key_and_certificates(data, identity.passphrase)
    except OSError as exc:
        raise ConfigError(f"the signing certificate {identity.pkcs12_path} cannot be read: {exc.strerror}") from exc
    except ValueError as exc:
        raise ConfigError(f"the signing certificate {identity.pkcs12_path.name} cannot be opened "
                          "(wrong passphrase or not a PKCS#12 file)") from exc
    if key is None or cert is None:
        raise ConfigError(f"the signing file {identity.pkcs12_path.name} holds no key and certificate")
    return key, cert, list(extra)


def _load_signer(identity: SigningIdentity) -> SimpleSigner:
    from pyhanko.sign import signers

    read_pkcs12(identity)
    signer: SimpleSigner | None = signers.SimpleSigner.load_pkcs12(  # type: ignore[no-untyped-call]
        str(identity.pkcs12_path), passphrase=identity.passphrase)
    if signer is None:
        raise ConfigError(f"the signing certificate {identity.pkcs12_path.name} cannot be opened")
    return signer


def signer_certificate_pem(identity: SigningIdentity) -> bytes:
    _, cert, _ = read_pkcs12(identity)
    return cert.public_bytes(serialization.Encoding.PEM)


def trial_certificate_pem(ws: Workspace) -> bytes:
    """This workspace's trial certificate as PEM (for ``report verify --trust-trial-cert``)."""
    path = trial_pkcs12_path(ws)
    if not path.is_file():
        raise ConfigError("this workspace has no trial certificate (`keytrace init --self-signed-cert` makes one)")
    return signer_certificate_pem(SigningIdentity(path, _trial_passphrase(ws), TRIAL_ORIGIN))


def is_trial_certificate(der: bytes) -> bool:
    """A keytrace trial certificate: self-signed, with the trial organisation name (whichever workspace
    made it)."""
    try:
        cert = x509.load_der_x509_certificate(der)
    except ValueError:
        return False
    orgs = [a.value for a in cert.subject.get_attributes_for_oid(NameOID.ORGANIZATION_NAME)]
    return cert.subject == cert.issuer and TRIAL_ORGANIZATION in orgs


def trust_summary(*, intact: bool, valid: bool, trusted: bool, trial: bool) -> str:
    """One sentence for a signature's state; a trial signer is named as such, trusted or not."""
    if not intact:
        return "the signed content was changed after signing"
    if not valid:
        return "the signature is not valid"
    if trial:
        return "intact and valid, " + (TRIAL_TRUSTED if trusted else TRIAL_NOT_TRUSTED)
    if not trusted:
        return "intact and valid, signed by a certificate that is not in the trust list"
    return "intact, valid and trusted"


def sign_pdf_bytes(pdf: bytes, identity: SigningIdentity, *, reason: str, location: str = "keytrace",
                   timestamper: object | None = None) -> bytes:
    """Return ``pdf`` with a PAdES signature over the whole file.

    With ``identity.tsa_url`` (or an explicit pyHanko ``timestamper``) the signature carries an RFC 3161
    timestamp token (PAdES B-T): an outside authority's word for when it was made.
    """
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers
    from pyhanko.sign.timestamps.api import TimeStamper
    from pyhanko.sign.timestamps.common_utils import TimestampRequestError

    signer = _load_signer(identity)
    if timestamper is None and identity.tsa_url:
        from pyhanko.sign.timestamps.requests_client import HTTPTimeStamper

        timestamper = HTTPTimeStamper(identity.tsa_url, timeout=20)  # type: ignore[no-untyped-call]
    if timestamper is not None and not isinstance(timestamper, TimeStamper):
        raise TypeError("timestamper must be a pyHanko TimeStamper")
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD, md_algorithm="sha256", subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason, location=location)
    out = io.BytesIO()
    try:
        signers.sign_pdf(writer, meta, signer=signer, timestamper=timestamper, output=out)
    except (OSError, TimestampRequestError) as exc:  # requests' errors are OSErrors: no answer from the TSA
        raise ConfigError(f"the timestamp authority {identity.tsa_url} could not be reached: {exc}") from exc
    return out.getvalue()


def trust_roots(trust_roots_pem: list[bytes] | None) -> list[asn1_x509.Certificate]:
    return [asn1_x509.Certificate.load(x509.load_pem_x509_certificate(p).public_bytes(
        serialization.Encoding.DER)) for p in (trust_roots_pem or [])]


def verify_pdf(data: bytes, trust_roots_pem: list[bytes] | None = None) -> SignatureCheck:
    """Validate the (last) signature of a PDF; a changed byte shows as ``intact=False``.

    ``trust_roots_pem``: certificates to trust; without them a self-signed signer validates as intact
    but not trusted. A trial certificate is trusted only when it is in this list, and flagged either way.
    """
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    roots = trust_roots(trust_roots_pem)
    try:
        reader = PdfFileReader(io.BytesIO(data), strict=False)
        sigs = reader.embedded_signatures
    except (PdfReadError, ValueError, KeyError, IndexError) as exc:
        return SignatureCheck(False, False, False, False, False, "", None,
                              f"the file cannot be read as a signed PDF: {exc}")
    if not sigs:
        return SignatureCheck(False, False, False, False, False, "", None, "the file carries no signature")
    sig = sigs[-1]
    vc = ValidationContext(trust_roots=roots, allow_fetching=False)
    try:
        with quiet_pyhanko():  # an untrusted signer is an answer here, not a traceback on stderr
            status = validate_pdf_signature(sig, vc, skip_diff=False)
    except (SignatureValidationError, PdfReadError, ValueError, KeyError) as exc:
        return SignatureCheck(True, False, False, False, False, "", None, f"the signature does not validate: {exc}")
    signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else ""
    coverage = getattr(status, "coverage", None)
    whole = coverage is not None and "ENTIRE_FILE" in str(coverage)
    intact = bool(status.intact)
    valid = bool(status.valid) and intact
    trusted = bool(status.trusted)
    trial = status.signing_cert is not None and is_trial_certificate(status.signing_cert.dump())
    summary = trust_summary(intact=intact, valid=valid, trusted=trusted, trial=trial)
    ts = getattr(status, "timestamp_validity", None)
    return SignatureCheck(True, intact, valid, trusted, whole, signer, status.signer_reported_dt, summary,
                          timestamp_time=ts.timestamp if ts is not None else None,
                          timestamp_intact=bool(ts is not None and ts.intact and ts.valid),
                          trial_certificate=trial)


@contextmanager
def quiet_pyhanko() -> Iterator[None]:
    loggers = [logging.getLogger(n) for n in ("pyhanko", "pyhanko_certvalidator")]
    before = [lg.level for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for lg, level in zip(loggers, before, strict=True):
            lg.setLevel(level)


def read_trust_root(path: Path) -> bytes:
    """A PEM certificate to trust, checked: a bad file is one sentence naming it."""
    try:
        data = path.read_bytes()
        x509.load_pem_x509_certificate(data)
    except OSError as exc:
        raise InputError(f"cannot read the certificate: {exc.strerror}", file=str(path)) from exc
    except ValueError as exc:
        raise InputError("this is not a PEM certificate", file=str(path)) from exc
    return data


def verify_pdf_file(path: Path, trust_roots_pem: list[bytes] | None = None) -> SignatureCheck:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror}", file=path.name) from exc
    return verify_pdf(data, trust_roots_pem)
