"""keytrace report: signed PDF reports, evidence bundles, and checking a report's signature."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from app.cli import add_json_flag, emit, require_folder_of
from core.errors import KeytraceError, UsageError
from core.workspace import Workspace
from reports import bundle_sign, generate, sign

ROLES = ("legal", "investigator", "admin", "victim")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("report", help="signed PDF reports and evidence bundles",
                       description="Make a claim or incident report (PDF, PAdES-signed unless --unsigned), or "
                                   "an evidence bundle (ZIP: CSVs, a signed manifest of SHA-256s, STIX 2.1, MISP, "
                                   "IC3 fields). Every output is stored as evidence and recorded in the audit trail.",
                       epilog="Example: keytrace report claim 12 --out claim12.pdf")
    rs = p.add_subparsers(dest="report_command", metavar="KIND")
    rs.required = True

    c = rs.add_parser("claim", help="the report of one claim",
                      epilog="Example: keytrace report claim 12 --out claim12.pdf --role legal")
    c.add_argument("claim_id", type=int, metavar="ID")
    _common(c)
    c.add_argument("--role", choices=ROLES, default="legal",
                   help="whose view of the claimant's personal data to print (default legal: name and contact)")
    c.set_defaults(func=run_claim)

    i = rs.add_parser("incident", help="the report of the whole incident",
                      epilog="Example: keytrace report incident --out incident.pdf")
    _common(i)
    i.set_defaults(func=run_incident)

    b = rs.add_parser("bundle", help="an evidence bundle (ZIP) for a claim or the incident",
                      epilog="Example: keytrace report bundle claim 12 --out claim12.zip")
    b.add_argument("scope", choices=("claim", "incident"))
    b.add_argument("claim_id", type=int, nargs="?", metavar="ID")
    _common(b)
    b.add_argument("--role", choices=ROLES, default="legal", help="view of the claimant's personal data")
    b.set_defaults(func=run_bundle)

    v = rs.add_parser("verify", help="check a signed report or bundle: intact, valid, trusted",
                      description="Check a signed PDF report, or an evidence bundle (ZIP): the signature over "
                                  "its manifest, then every member's size and SHA-256. A report or bundle signed "
                                  "with keytrace's trial self-signed certificate is intact but NOT trusted unless "
                                  "--trust-trial-cert is given.",
                      epilog="Example: keytrace report verify claim12.pdf --trust signer.pem")
    v.add_argument("path", type=Path)
    v.add_argument("--trust", type=Path, action="append", default=[], metavar="PEM",
                   help="a certificate to trust (default: this workspace's configured signing certificate, "
                        "never its trial certificate)")
    v.add_argument("--trust-trial-cert", action="store_true",
                   help="also trust this workspace's trial self-signed certificate (for a test workspace only: "
                        "it shows a file is unchanged, not who signed it)")
    add_json_flag(v)
    v.set_defaults(func=run_verify)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="where to write the output")
    p.add_argument("--unsigned", action="store_true", help="do not sign the PDF (a signature is the default)")
    add_json_flag(p)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _emit(args: argparse.Namespace, r: generate.GeneratedReport) -> int:
    how = f"signed ({r.signer})" if r.signed else "UNSIGNED"
    emit(args, f"Wrote {r.path} ({r.size_bytes} bytes, {how}); SHA-256 {r.sha256}, audit entry {r.audit_seq}.",
         {"path": str(r.path), "kind": r.kind, "sha256": r.sha256, "size_bytes": r.size_bytes, "signed": r.signed,
          "audit_seq": r.audit_seq, "files": list(r.files)})
    return 0


def run_claim(args: argparse.Namespace) -> int:
    require_folder_of(args.out)
    ws = Workspace.open(args.db)
    return _emit(args, generate.claim_report(ws, args.claim_id, args.out, actor=_actor(), viewer_role=args.role,
                                             signed=not args.unsigned))


def run_incident(args: argparse.Namespace) -> int:
    require_folder_of(args.out)
    ws = Workspace.open(args.db)
    return _emit(args, generate.incident_report(ws, args.out, actor=_actor(), signed=not args.unsigned))


def run_bundle(args: argparse.Namespace) -> int:
    require_folder_of(args.out)
    ws = Workspace.open(args.db)
    if args.scope == "claim":
        if args.claim_id is None:
            raise UsageError("`keytrace report bundle claim` needs the claim number, e.g. `bundle claim 12`")
        return _emit(args, generate.claim_bundle(ws, args.claim_id, args.out, actor=_actor(),
                                                 viewer_role=args.role, signed=not args.unsigned))
    if args.claim_id is not None:
        raise UsageError("`keytrace report bundle incident` takes no claim number")
    return _emit(args, generate.incident_bundle(ws, args.out, actor=_actor(), signed=not args.unsigned))


def _trust_roots(args: argparse.Namespace) -> list[bytes]:
    """--trust PEMs, else the configured (non-trial) signing certificate; the trial one only when asked."""
    roots = [sign.read_trust_root(p) for p in args.trust]
    if roots and not args.trust_trial_cert:
        return roots
    ws = Workspace.open(args.db)
    if args.trust_trial_cert:
        roots.append(sign.trial_certificate_pem(ws))
    if not args.trust:
        try:
            identity = sign.signing_identity(ws)
            if identity.origin != sign.TRIAL_ORIGIN:
                roots.append(sign.signer_certificate_pem(identity))
        except KeytraceError:  # no usable configured certificate: check integrity only
            pass
    return roots


def _is_zip(path: Path) -> bool:
    try:
        with path.open("rb") as fh:
            return fh.read(4) == b"PK\x03\x04"
    except OSError:
        return False  # reading it again names the error


def _fail(args: argparse.Namespace, summary: str) -> int:
    sys.stderr.write(f"keytrace: {args.path.name}: {summary}\n")
    return 1


def run_verify(args: argparse.Namespace) -> int:
    roots = _trust_roots(args)
    if _is_zip(args.path):
        return _verify_bundle(args, roots)
    check = sign.verify_pdf_file(args.path, roots)
    ok = check.signed and check.intact and check.valid
    if not ok and not args.json:  # a failed check is one sentence on stderr, exit status 1
        return _fail(args, check.summary)
    stamped = (f"; timestamped {check.timestamp_time.isoformat()}"
               + ("" if check.timestamp_intact else " (timestamp not verified)")) if check.timestamp_time else ""
    emit(args, f"{args.path.name}: {check.summary}" + (f" (signer: {check.signer}{stamped})" if check.signer else ""),
         {"kind": "pdf", "signed": check.signed, "intact": check.intact, "valid": check.valid,
          "trusted": check.trusted, "trial_certificate": check.trial_certificate,
          "covers_whole_file": check.covers_whole_file, "signer": check.signer,
          "signing_time": check.signing_time.isoformat() if check.signing_time else None, "summary": check.summary,
          "timestamp_time": check.timestamp_time.isoformat() if check.timestamp_time else None,
          "timestamp_verified": check.timestamp_intact})
    return 0 if ok else 1


def _verify_bundle(args: argparse.Namespace, roots: list[bytes]) -> int:
    check = bundle_sign.verify_bundle(args.path, roots)
    if not check.ok and not args.json:
        more = len(check.problems) - 1
        return _fail(args, check.summary + (f" (and {more} more problem{'s' if more > 1 else ''}; --json lists "
                                            "them)" if more > 0 else ""))
    text = (f"{args.path.name}: {check.members_checked} members match the signed manifest; {check.summary}"
            + (f" (signer: {check.signer})" if check.signer else ""))
    emit(args, text, {"kind": "bundle", "signed": check.signed, "intact": check.intact, "valid": check.valid,
                      "trusted": check.trusted, "trial_certificate": check.trial_certificate,
                      "signer": check.signer, "members_checked": check.members_checked,
                      "signing_time": check.signing_time.isoformat() if check.signing_time else None,
                      "summary": check.summary, "problems": check.problems})
    return 0 if check.ok else 1
