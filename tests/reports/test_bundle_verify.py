"""The bundle's signed manifest, and `keytrace report verify BUNDLE.zip`: tampering named member by member."""

from __future__ import annotations

import asyncio
import hashlib
import json
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from asn1crypto import cms
from asn1crypto import x509 as asn1_x509
from cryptography import x509
from cryptography.hazmat.primitives import serialization
from pyhanko.sign.validation import async_validate_detached_cms
from pyhanko_certvalidator import ValidationContext

from app.cli import main
from core.workspace import Workspace
from reports import bundle_sign
from tests.reports import casebuilder as cb
from tests.reports.conftest import UnitCert


def _bundle(ws: Workspace, case: cb.Case, out: Path, *extra: str) -> None:
    assert main(["--db", str(ws.settings.db_path), "report", "bundle", "claim", str(case.claim_id),
                 "--out", str(out), *extra]) == 0


def _verify(ws: Workspace, path: Path, *extra: str) -> int:
    return main(["--db", str(ws.settings.db_path), "report", "verify", str(path), *extra])


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def _rewrite(src: Path, dest: Path, change: Callable[[dict[str, bytes]], dict[str, bytes]]) -> Path:
    """The bundle written anew with ``change`` applied to its members (as someone editing it would)."""
    members = change(_members(src))
    with zipfile.ZipFile(dest, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return dest


def _pem_root(pem: bytes) -> asn1_x509.Certificate:
    return asn1_x509.Certificate.load(x509.load_pem_x509_certificate(pem).public_bytes(serialization.Encoding.DER))


def test_the_manifest_lists_every_member_and_its_cms_signature_validates_in_pyhanko(
        ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path) -> None:
    out = tmp_path / "claim.zip"
    _bundle(ws, case, out)
    files = _members(out)
    manifest_bytes, p7s = files.pop("manifest.json"), files.pop("manifest.json.p7s")
    manifest = json.loads(manifest_bytes)
    assert manifest["manifest_signature"] == "manifest.json.p7s"
    assert {f["name"]: (f["size_bytes"], f["sha256"]) for f in manifest["files"]} == {
        n: (len(d), hashlib.sha256(d).hexdigest()) for n, d in files.items()}
    signed_data = cms.ContentInfo.load(p7s)["content"]
    assert signed_data["encap_content_info"]["content"].native is None  # detached: the manifest is not inside
    vc = ValidationContext(trust_roots=[_pem_root(trial_cert)], allow_fetching=False)
    status = asyncio.run(async_validate_detached_cms(manifest_bytes, signed_data, signer_validation_context=vc))
    assert status.intact and status.valid and status.trusted
    assert status.md_algorithm == "sha256"
    changed = asyncio.run(async_validate_detached_cms(manifest_bytes.replace(b"claim bundle", b"claim bundlE"),
                                                      signed_data, signer_validation_context=vc))
    assert not changed.intact


def test_verify_a_trial_signed_bundle(ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path,
                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.zip"
    _bundle(ws, case, out)
    members = len(_members(out)) - 2
    capsys.readouterr()
    assert _verify(ws, out) == 0
    said = capsys.readouterr().out
    assert said.startswith(f"claim.zip: {members} members match the signed manifest; intact and valid, not "
                           "trusted: signed with keytrace's trial self-signed certificate"), said
    assert _verify(ws, out, "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["kind"], found["intact"], found["trusted"], found["trial_certificate"], found["problems"]) == (
        "bundle", True, False, True, [])
    assert _verify(ws, out, "--trust-trial-cert", "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["trusted"], found["members_checked"]) == (True, members)


def _flip_first_byte_of(name: str) -> Callable[[dict[str, bytes]], dict[str, bytes]]:
    def change(m: dict[str, bytes]) -> dict[str, bytes]:
        return {**m, name: bytes([m[name][0] ^ 0x01]) + m[name][1:]}
    return change


def test_tampering_is_named_member_by_member(ws: Workspace, case: cb.Case, trial_cert: bytes, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.zip"
    _bundle(ws, case, out)
    pdf = f"claim_{case.claim_id}_report.pdf"
    cases: dict[str, tuple[Callable[[dict[str, bytes]], dict[str, bytes]], str]] = {
        "one-byte.zip": (_flip_first_byte_of("unauthorized_trades.csv"),
                         "unauthorized_trades.csv was changed: its SHA-256 does not match the manifest"),
        "pdf-byte.zip": (lambda m: {**m, pdf: m[pdf][:-40] + bytes([m[pdf][-40] ^ 0x20]) + m[pdf][-39:]},
                         f"{pdf} was changed: its SHA-256 does not match the manifest"),
        "appended.zip": (lambda m: {**m, "evidence.csv": m["evidence.csv"] + b"x\n"},
                         "evidence.csv was changed: it is "),
        "manifest.zip": (lambda m: {**m, "manifest.json": m["manifest.json"].replace(b'"claim bundle"',
                                                                                   b'"claim bundlE"')},
                         "manifest.json was changed after it was signed: its signature does not match it"),
        "added.zip": (lambda m: {**m, "note.txt": b"added later"},
                      "note.txt is in the bundle but not in its manifest"),
        "missing.zip": (lambda m: {n: d for n, d in m.items() if n != "misp_event.json"},
                        "misp_event.json is listed in the manifest but missing from the bundle"),
        "no-signature.zip": (lambda m: {n: d for n, d in m.items() if n != "manifest.json.p7s"},
                             "the bundle's manifest.json carries no signature (manifest.json.p7s is missing)"),
    }
    untouched = _rewrite(out, tmp_path / "untouched.zip", lambda m: m)
    assert _verify(ws, untouched, "--trust-trial-cert") == 0  # rewriting alone changes nothing that is signed
    capsys.readouterr()
    for name, (change, sentence) in cases.items():
        bad = _rewrite(out, tmp_path / name, change)
        assert _verify(ws, bad, "--trust-trial-cert") == 1, name
        err = capsys.readouterr().err
        assert err.startswith(f"keytrace: {name}: {sentence}"), (name, err)
        assert err.count("\n") == 1, err
        assert _verify(ws, bad, "--trust-trial-cert", "--json") == 1
        found = json.loads(capsys.readouterr().out)
        assert found["intact"] is False and found["problems"][0].startswith(sentence), (name, found)


def test_a_byte_flipped_inside_the_zip_names_the_member(ws: Workspace, case: cb.Case, trial_cert: bytes,
                                                        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "claim.zip"
    _bundle(ws, case, out)
    with zipfile.ZipFile(out) as zf:
        info = zf.getinfo("report_data.json")
    data = bytearray(out.read_bytes())
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)  # the compressed bytes
    data[start + info.compress_size // 2] ^= 0x55
    bad = tmp_path / "flipped.zip"
    bad.write_bytes(bytes(data))
    capsys.readouterr()
    assert _verify(ws, bad, "--trust-trial-cert") == 1
    err = capsys.readouterr().err
    assert err.startswith("keytrace: flipped.zip: report_data.json was changed: "), err


@pytest.mark.parametrize(("name", "why"), [
    ("../outside.txt", "climbs out of the bundle (..)"),
    ("evidence/../../x", "climbs out of the bundle (..)"),
    ("/etc/passwd", "is an absolute path"),
    ("C:/Windows/x.txt", "is an absolute path"),
    ("a\\b.txt", "contains a backslash"),
])
def test_path_tricks_are_refused(ws: Workspace, tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                 name: str, why: str) -> None:
    bad = tmp_path / "tricky.zip"
    with zipfile.ZipFile(bad, "w") as zf:
        zf.writestr("manifest.json", b'{"files": []}')
        zf.writestr(name, b"x")
    assert _verify(ws, bad) == 1
    assert capsys.readouterr().err == f"keytrace: tricky.zip: the bundle member {name!r} {why}; the bundle is refused\n"


def test_a_name_twice_or_a_garbled_signature_is_one_sentence(ws: Workspace, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    twice = tmp_path / "twice.zip"
    with pytest.warns(UserWarning), zipfile.ZipFile(twice, "w") as zf:
        zf.writestr("manifest.json", b'{"files": []}')
        zf.writestr("evidence.csv", b"a")
        zf.writestr("evidence.csv", b"b")
    assert _verify(ws, twice) == 1
    assert capsys.readouterr().err == "keytrace: twice.zip: the bundle holds evidence.csv twice; the bundle is refused\n"
    garbled = tmp_path / "garbled.zip"
    with zipfile.ZipFile(garbled, "w") as zf:
        zf.writestr("manifest.json", b'{"files": []}')
        zf.writestr("manifest.json.p7s", b"\x30\x03\x06\x01\x00")
    assert _verify(ws, garbled) == 1
    assert capsys.readouterr().err.startswith(
        "keytrace: garbled.zip: manifest.json.p7s is not a signature keytrace can check: ")


def test_a_zip_bomb_is_refused_before_it_is_unpacked(ws: Workspace, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str],
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(bundle_sign, "MAX_MEMBER_BYTES", 1024 * 1024)
    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b'{"files": []}')
        zf.writestr("zeros.bin", bytes(8 * 1024 * 1024))
    assert bomb.stat().st_size < 64 * 1024
    assert _verify(ws, bomb) == 1
    assert capsys.readouterr().err == ("keytrace: bomb.zip: the bundle member zeros.bin would unpack to 8388608 "
                                       "bytes, more than the 1048576 keytrace reads\n")
    monkeypatch.setattr(bundle_sign, "MAX_MEMBER_BYTES", 16 * 1024 * 1024)
    monkeypatch.setattr(bundle_sign, "MAX_TOTAL_BYTES", 12 * 1024 * 1024)
    with zipfile.ZipFile(bomb, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", b'{"files": []}')
        zf.writestr("a.bin", bytes(8 * 1024 * 1024))
        zf.writestr("b.bin", bytes(8 * 1024 * 1024))
    assert _verify(ws, bomb) == 1
    total = 2 * 8 * 1024 * 1024 + len(b'{"files": []}')
    assert capsys.readouterr().err == (f"keytrace: bomb.zip: the bundle would unpack to {total} bytes, more than "
                                       f"the {12 * 1024 * 1024} keytrace reads\n")


def test_a_bundle_signed_with_a_real_certificate_is_trusted_through_its_authority(
        ws: Workspace, case: cb.Case, unit_cert: UnitCert, tmp_path: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "unit.zip"
    _bundle(ws, case, out)
    ca = tmp_path / "ca.pem"
    ca.write_bytes(unit_cert.ca_pem)
    capsys.readouterr()
    assert _verify(ws, out, "--trust", str(ca), "--json") == 0
    found = json.loads(capsys.readouterr().out)
    assert (found["intact"], found["trusted"], found["trial_certificate"], found["summary"]) == (
        True, True, False, "intact, valid and trusted")
    assert "Unit 7 evidence signer" in found["signer"]
