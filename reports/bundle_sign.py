"""The evidence bundle's signed manifest, and checking a bundle against it.

A signed bundle holds ``manifest.json`` (every other member's name, size and SHA-256) and
``manifest.json.p7s``: a CMS (PKCS#7) detached signature, SHA-256, over the manifest's exact bytes,
made with the same signing identity as the PDF report inside. :func:`verify_bundle` checks that
signature (with the same trust rules as :func:`reports.sign.verify_pdf`: a trial certificate is trusted
only when it is in the caller's trust list), then every member's size and SHA-256, and refuses a member
the manifest does not list or a listed member that is missing.

The ZIP is read defensively: member names with ``..``, absolute paths, drive letters, backslashes or
control characters are refused, as are encrypted members, duplicate names, more than
:data:`MAX_MEMBERS` members, and sizes over :data:`MAX_MEMBER_BYTES` / :data:`MAX_TOTAL_BYTES`;
members are hashed as a stream, never read past their declared size.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from cryptography.hazmat.primitives.serialization import pkcs7

from core.errors import ConfigError, InputError
from reports import sign
from reports.exports import MANIFEST, MANIFEST_SIGNATURE

MAX_MEMBERS = 10_000
MAX_MEMBER_BYTES = 2 * 1024**3
MAX_TOTAL_BYTES = 8 * 1024**3
MAX_MANIFEST_BYTES = 64 * 1024**2
MAX_SIGNATURE_BYTES = 1024**2
_CHUNK = 1024**2
_DRIVE = re.compile(r"^[A-Za-z]:")
_SHA256 = re.compile(r"^[0-9a-f]{64}$")


def sign_manifest(manifest: bytes, identity: sign.SigningIdentity) -> bytes:
    """A DER CMS detached signature (SHA-256) over ``manifest``, with the identity's key and certificate
    (and any further certificates of its PKCS#12 file); the key is only ever in memory."""
    key, cert, extra = sign.read_pkcs12(identity)
    if not isinstance(key, (rsa.RSAPrivateKey, ec.EllipticCurvePrivateKey)):
        raise ConfigError(f"the signing certificate {identity.pkcs12_path.name} holds a key that cannot sign a "
                          "CMS signature (RSA or EC is needed)")
    builder = pkcs7.PKCS7SignatureBuilder().set_data(manifest).add_signer(cert, key, hashes.SHA256())
    for c in extra:
        builder = builder.add_certificate(c)
    return builder.sign(serialization.Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature,
                                                      pkcs7.PKCS7Options.Binary])


@dataclass(frozen=True)
class BundleCheck:
    """What a reader of the bundle can rely on; ``problems`` are sentences, each naming its member."""

    signed: bool
    intact: bool             # the manifest is unchanged since it was signed and every member matches it
    valid: bool              # the manifest's signature verifies
    trusted: bool
    trial_certificate: bool
    signer: str
    signing_time: datetime | None
    summary: str
    members_checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.signed and self.intact and self.valid and not self.problems


@dataclass(frozen=True)
class _Signature:
    intact: bool
    valid: bool
    trusted: bool
    trial: bool
    signer: str
    signing_time: datetime | None
    problem: str | None


def _unsafe_name(name: str) -> str | None:
    """Why a member name is refused, or None."""
    parts = name.replace("\\", "/").split("/")
    if not name or name.startswith(("/", "\\")) or _DRIVE.match(name):
        return "is an absolute path"
    if "\\" in name:
        return "contains a backslash"
    if ".." in parts:
        return "climbs out of the bundle (..)"
    if any(ord(ch) < 32 for ch in name):
        return "contains a control character"
    if name.endswith("/"):
        return "is a folder"
    return None


def _refuse(reason: str) -> BundleCheck:
    return BundleCheck(False, False, False, False, False, "", None, reason, problems=[reason])


def _check_entries(infos: list[zipfile.ZipInfo]) -> str | None:
    if len(infos) > MAX_MEMBERS:
        return f"the bundle has {len(infos)} members, more than the {MAX_MEMBERS} keytrace reads"
    seen: set[str] = set()
    total = 0
    for info in infos:
        why = _unsafe_name(info.filename)
        if why:
            return f"the bundle member {info.filename!r} {why}; the bundle is refused"
        if info.filename in seen:
            return f"the bundle holds {info.filename} twice; the bundle is refused"
        seen.add(info.filename)
        if info.flag_bits & 0x1:
            return f"the bundle member {info.filename} is encrypted; the bundle is refused"
        if info.file_size > MAX_MEMBER_BYTES:
            return (f"the bundle member {info.filename} would unpack to {info.file_size} bytes, more than the "
                    f"{MAX_MEMBER_BYTES} keytrace reads")
        total += info.file_size
    if total > MAX_TOTAL_BYTES:
        return f"the bundle would unpack to {total} bytes, more than the {MAX_TOTAL_BYTES} keytrace reads"
    return None


class _Refused(Exception):
    """The bundle cannot be checked at all; the argument is the sentence why."""


def _read_small(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes:
    if info.file_size > limit:
        raise _Refused(f"the bundle's {info.filename} is {info.file_size} bytes, more than the {limit} keytrace "
                       "reads")
    try:
        with zf.open(info) as fh:
            return fh.read(limit)
    except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
        raise _Refused(f"{info.filename} was changed: it cannot be unpacked as stored ({exc})") from exc


def _hash_member(fh: IO[bytes], limit: int) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    while size <= limit:
        chunk = fh.read(min(_CHUNK, limit + 1 - size))
        if not chunk:
            break
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def _check_signature(manifest: bytes, p7s: bytes, roots_pem: list[bytes]) -> _Signature:
    from asn1crypto import cms
    from pyhanko.sign.validation import async_validate_detached_cms
    from pyhanko.sign.validation.errors import SignatureValidationError
    from pyhanko_certvalidator import ValidationContext

    try:
        info = cms.ContentInfo.load(p7s)
        if info["content_type"].native != "signed_data":
            raise ValueError("not CMS signed data")
        signed_data = info["content"]
        vc = ValidationContext(trust_roots=sign.trust_roots(roots_pem), allow_fetching=False)
        with sign.quiet_pyhanko():
            status = asyncio.run(async_validate_detached_cms(manifest, signed_data, signer_validation_context=vc))
    except (SignatureValidationError, ValueError, KeyError, TypeError, NotImplementedError, OverflowError) as exc:
        return _Signature(False, False, False, False, "", None,
                          f"{MANIFEST_SIGNATURE} is not a signature keytrace can check: {exc}")
    cert = status.signing_cert
    intact = bool(status.intact)
    valid = bool(status.valid) and intact
    trial = cert is not None and sign.is_trial_certificate(cert.dump())
    problem = None if intact else f"{MANIFEST} was changed after it was signed: its signature does not match it"
    if intact and not valid:
        problem = f"the signature in {MANIFEST_SIGNATURE} is not valid"
    return _Signature(intact, valid, bool(status.trusted), trial,
                      cert.subject.human_friendly if cert is not None else "", status.signer_reported_dt, problem)


def _listed(manifest: bytes) -> dict[str, tuple[int, str]]:
    try:
        doc: Any = json.loads(manifest)
        entries = doc["files"]
        listed: dict[str, tuple[int, str]] = {}
        for e in entries:
            name, size, sha = e["name"], e["size_bytes"], e["sha256"]
            if not (isinstance(name, str) and isinstance(size, int) and isinstance(sha, str)
                    and _SHA256.match(sha) and name not in listed and name not in (MANIFEST, MANIFEST_SIGNATURE)):
                raise ValueError(name)
            listed[name] = (size, sha)
    except (ValueError, KeyError, TypeError) as exc:
        raise _Refused(f"the bundle's {MANIFEST} does not list its members as keytrace writes them "
                       f"(at {exc})") from exc
    return listed


def _check_members(zf: zipfile.ZipFile, listed: dict[str, tuple[int, str]]) -> tuple[int, list[str]]:
    present = {i.filename: i for i in zf.infolist() if i.filename not in (MANIFEST, MANIFEST_SIGNATURE)}
    problems = [f"{name} is in the bundle but not in its manifest" for name in sorted(set(present) - set(listed))]
    problems += [f"{name} is listed in the manifest but missing from the bundle"
                 for name in sorted(set(listed) - set(present))]
    checked = 0
    for name in sorted(set(listed) & set(present)):
        size, sha = listed[name]
        info = present[name]
        if info.file_size != size:
            problems.append(f"{name} was changed: it is {info.file_size} bytes, the manifest says {size}")
            continue
        try:
            with zf.open(info) as fh:
                got_sha, got_size = _hash_member(fh, size)
        except (zipfile.BadZipFile, zlib.error, EOFError, OSError) as exc:
            problems.append(f"{name} was changed: it cannot be unpacked as stored ({exc})")
            continue
        checked += 1
        if got_size != size or got_sha != sha:
            problems.append(f"{name} was changed: its SHA-256 does not match the manifest")
    return checked, problems


def verify_bundle(path: Path, trust_roots_pem: list[bytes] | None = None) -> BundleCheck:
    """Check a bundle ZIP: its manifest's signature and trust, then every member against the manifest."""
    try:
        with zipfile.ZipFile(path) as zf:
            return _verify_open(zf, trust_roots_pem or [])
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", file=path.name) from exc
    except zipfile.BadZipFile as exc:
        return _refuse(f"the file is not a readable ZIP bundle: {exc}")


def _verify_open(zf: zipfile.ZipFile, roots_pem: list[bytes]) -> BundleCheck:
    infos = zf.infolist()
    refused = _check_entries(infos)
    if refused:
        return _refuse(refused)
    by_name = {i.filename: i for i in infos}
    if MANIFEST not in by_name:
        return _refuse(f"the bundle has no {MANIFEST}")
    try:
        manifest = _read_small(zf, by_name[MANIFEST], MAX_MANIFEST_BYTES)
        p7s = _read_small(zf, by_name[MANIFEST_SIGNATURE], MAX_SIGNATURE_BYTES) \
            if MANIFEST_SIGNATURE in by_name else None
    except _Refused as exc:
        return _refuse(str(exc))
    sig = _check_signature(manifest, p7s, roots_pem) if p7s is not None else None
    try:
        listed = _listed(manifest)
    except _Refused as exc:  # a changed manifest is first of all a broken signature
        return _refuse(sig.problem if sig is not None and sig.problem else str(exc))
    checked, problems = _check_members(zf, listed)
    if sig is None:
        problems.insert(0, f"the bundle's {MANIFEST} carries no signature ({MANIFEST_SIGNATURE} is missing)")
        return BundleCheck(False, False, False, False, False, "", None, problems[0], checked, problems)
    if sig.problem:
        problems.insert(0, sig.problem)
    intact = sig.intact and not problems
    summary = problems[0] if problems else sign.trust_summary(intact=True, valid=sig.valid, trusted=sig.trusted,
                                                              trial=sig.trial)
    return BundleCheck(True, intact, sig.valid, sig.trusted, sig.trial, sig.signer, sig.signing_time, summary,
                       checked, problems)
