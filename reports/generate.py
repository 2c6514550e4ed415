"""Make a report or bundle, sign it, and record it: the one entry point for the CLI and the app.

Each output is (1) written atomically to the requested path, (2) stored in the evidence store with
kind ``report`` (PDF) or ``export_bundle`` (ZIP), (3) entered in the custody log (``exported``, and
``cited_in_report`` on every evidence file it rests on), and (4) recorded in the audit trail with its
SHA-256 - all in one write transaction, so a report exists in the records exactly when its file does.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from core import audit, evidence
from core.errors import InputError
from core.workspace import Workspace
from ingest import ownership
from queries.records import ClaimFacts, EvidenceItem, IncidentFacts
from reports import bundle_sign, documents, exports, pdf, sign
from reports.bundle import gather_claim, gather_incident

# The report's own tables, attached to the PDF as CSV files (inside the signed bytes).
CLAIM_ATTACHMENTS = ("unauthorized_trades.csv", "cash_out_points.csv", "evidence.csv", "custody_log.csv",
                     "ic3_transactions.csv")
INCIDENT_ATTACHMENTS = ("victims.csv", "campaigns.csv", "losses_by_exchange_pair.csv", "cash_out_by_entity.csv",
                        "cash_out_points.csv", "evidence.csv")


@dataclass(frozen=True)
class GeneratedReport:
    path: Path
    kind: str               # claim_report | incident_report | claim_bundle | incident_bundle
    sha256: str
    size_bytes: int
    signed: bool
    signer: str
    audit_seq: int
    files: tuple[str, ...] = ()


def _identity(ws: Workspace, signed: bool) -> sign.SigningIdentity | None:
    return sign.signing_identity(ws) if signed else None


def _trial(identity: sign.SigningIdentity | None) -> bool:
    """Whether the cover must say the report is signed with the trial certificate (known before signing)."""
    return identity is not None and identity.origin == sign.TRIAL_ORIGIN


def _manifest_signer(identity: sign.SigningIdentity | None) -> Callable[[bytes], bytes] | None:
    return None if identity is None else lambda manifest: bundle_sign.sign_manifest(manifest, identity)


def _manifest_names(identity: sign.SigningIdentity | None) -> tuple[str, ...]:
    return (exports.MANIFEST,) + (() if identity is None else (exports.MANIFEST_SIGNATURE,))


def _sign(data: bytes, identity: sign.SigningIdentity | None, reason: str) -> bytes:
    return data if identity is None else sign.sign_pdf_bytes(data, identity, reason=reason)


def _record(ws: Workspace, data: bytes, out: Path, *, kind: str, evidence_kind: str, actor: str,
            case_id: str | None, claim_id: int | None, obj: str, cited: list[EvidenceItem],
            identity: sign.SigningIdentity | None, extra: dict[str, object],
            files: tuple[str, ...] = ()) -> GeneratedReport:
    out = out.expanduser()
    if out.is_dir():
        raise InputError("the output path is a folder; give a file name", file=str(out))
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.name}.", suffix=".part")
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        sha = exports.sha256_hex(data)
        with ws.db.write() as con:
            evidence.store(ws, con, tmp, kind=evidence_kind, submitted_by=actor, original_name=out.name,
                           case_id=case_id, claim_id=claim_id,
                           media_type="application/pdf" if evidence_kind == "report" else "application/zip",
                           known_sha256=(sha, len(data)))
            evidence.custody(con, sha, actor, "exported", {"kind": kind, "file": out.name,
                                                           "signed": identity is not None})
            for item in cited:
                evidence.custody(con, item.sha256, actor, "cited_in_report", {"report_sha256": sha, "kind": kind})
            entry = audit.record(con, ws.keys, ws.settings, actor=actor, action=f"report.{kind}", obj=obj,
                                 details={"sha256": sha, "size_bytes": len(data), "signed": identity is not None,
                                          "file": out.name, "evidence_cited": len(cited), **extra})
        os.replace(tmp, out)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    signer = identity.origin if identity else ""
    return GeneratedReport(out, kind, sha, len(data), identity is not None, signer, entry.seq, files)


def _claim_facts(ws: Workspace, claim_id: int, viewer_role: str) -> ClaimFacts:
    ownership.evidence_level(ws, claim_id)  # grade the ownership evidence as it stands now
    return gather_claim(ws, claim_id, viewer_role)


def _claim_pdf(facts: ClaimFacts, identity: sign.SigningIdentity | None) -> bytes:
    body = pdf.render(documents.claim_document(facts, signed=identity is not None,
                                                trial=_trial(identity)))
    body = pdf.attach(body, [pdf.Attachment(f.name, f.data, f.description) for f in exports.claim_bundle_files(
        facts, None, only=CLAIM_ATTACHMENTS)])
    return _sign(body, identity, f"keytrace claim report, claim {facts.header.claim_id}")


def _incident_pdf(facts: IncidentFacts, identity: sign.SigningIdentity | None) -> bytes:
    body = pdf.render(documents.incident_document(facts, signed=identity is not None,
                                                   trial=_trial(identity)))
    body = pdf.attach(body, [pdf.Attachment(f.name, f.data, f.description) for f in exports.incident_bundle_files(
        facts, None, only=INCIDENT_ATTACHMENTS)])
    return _sign(body, identity, "keytrace incident report")


def claim_report(ws: Workspace, claim_id: int, out: Path, *, actor: str, viewer_role: str = "legal",
                 signed: bool = True) -> GeneratedReport:
    identity = _identity(ws, signed)
    facts = _claim_facts(ws, claim_id, viewer_role)
    data = _claim_pdf(facts, identity)
    return _record(ws, data, out, kind="claim_report", evidence_kind="report", actor=actor,
                   case_id=facts.header.case_id, claim_id=claim_id, obj=f"claim:{claim_id}", cited=facts.evidence,
                   identity=identity, extra={"claim_id": claim_id, "viewer_role": viewer_role,
                                             "unauthorized_trades": len(facts.trades)})


def incident_report(ws: Workspace, out: Path, *, actor: str, signed: bool = True) -> GeneratedReport:
    identity = _identity(ws, signed)
    facts = gather_incident(ws, with_trades=False)
    data = _incident_pdf(facts, identity)
    return _record(ws, data, out, kind="incident_report", evidence_kind="report", actor=actor, case_id=None,
                   claim_id=None, obj="incident", cited=facts.evidence, identity=identity,
                   extra={"victims": len(facts.victims), "campaigns": len(facts.campaigns)})


def claim_bundle(ws: Workspace, claim_id: int, out: Path, *, actor: str, viewer_role: str = "legal",
                 signed: bool = True) -> GeneratedReport:
    identity = _identity(ws, signed)
    facts = _claim_facts(ws, claim_id, viewer_role)
    report = _claim_pdf(facts, identity)
    files = exports.claim_bundle_files(facts, report)
    data = exports.build_zip(files, {"kind": "claim bundle", "claim_id": claim_id, "case_id": facts.header.case_id,
                                     "exchange": facts.header.exchange, "account": facts.header.account,
                                     "report_signed": identity is not None}, facts.generated_at,
                             sign_manifest=_manifest_signer(identity))
    return _record(ws, data, out, kind="claim_bundle", evidence_kind="export_bundle", actor=actor,
                   case_id=facts.header.case_id, claim_id=claim_id, obj=f"claim:{claim_id}", cited=facts.evidence,
                   identity=identity, extra={"claim_id": claim_id, "files": len(files) + len(_manifest_names(identity)),
                                             "report_sha256": exports.sha256_hex(report)},
                   files=tuple(f.name for f in files) + _manifest_names(identity))


def incident_bundle(ws: Workspace, out: Path, *, actor: str, signed: bool = True) -> GeneratedReport:
    identity = _identity(ws, signed)
    facts = gather_incident(ws)
    report = _incident_pdf(facts, identity)
    files = exports.incident_bundle_files(facts, report)
    data = exports.build_zip(files, {"kind": "incident bundle", "report_signed": identity is not None},
                             facts.generated_at, sign_manifest=_manifest_signer(identity))
    return _record(ws, data, out, kind="incident_bundle", evidence_kind="export_bundle", actor=actor, case_id=None,
                   claim_id=None, obj="incident", cited=facts.evidence, identity=identity,
                   extra={"files": len(files) + len(_manifest_names(identity)), "report_sha256": exports.sha256_hex(report)},
                   files=tuple(f.name for f in files) + _manifest_names(identity))
