"""Reports and bundles for the legal page (UI-free): list, generate and fetch, each checked by role.

Generation goes through :mod:`reports.generate` (the same path as ``keytrace report``): the output is
signed unless asked otherwise, stored in the evidence store, entered in the custody log and the audit
trail. Fetching a stored report re-verifies its SHA-256 and records the read in the custody log.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from app import access
from app.auth import User
from core import evidence
from core.db import rows
from core.errors import InputError
from core.workspace import Workspace

KINDS = {
    "claim_report": "Claim report (PDF)",
    "claim_bundle": "Claim evidence bundle (ZIP)",
    "incident_report": "Incident report (PDF)",
    "incident_bundle": "Incident evidence bundle (ZIP)",
}


def stored(ws: Workspace, actor: User) -> list[dict[str, Any]]:
    """Reports and bundles in the evidence store, newest first."""
    access.require(actor.role, "reports.generate")
    with ws.db.read() as con:
        return rows(con, "SELECT sha256, original_name, kind, size_bytes, submitted_by, submitted_at, claim_id "
                         "FROM evidence_files WHERE kind IN ('report', 'export_bundle') "
                         "ORDER BY submitted_at DESC, sha256")


def generate(ws: Workspace, actor: User, kind: str, claim_id: int | None, *, signed: bool) -> tuple[str, bytes]:
    """Make one report or bundle; returns its file name and bytes."""
    from reports import generate as gen

    access.require(actor.role, "reports.generate")
    if kind not in KINDS:
        raise InputError(f"unknown kind of report {kind!r}", column="kind")
    if kind.startswith("claim") and claim_id is None:
        raise InputError("choose the claim to report on", column="claim")
    suffix = ".pdf" if kind.endswith("report") else ".zip"
    name = (f"claim-{claim_id}" if kind.startswith("claim") else "incident") + \
        ("-report" if kind.endswith("report") else "-bundle") + suffix
    with tempfile.TemporaryDirectory(prefix="keytrace-report-") as tmp:
        out = Path(tmp) / name
        if kind == "claim_report":
            assert claim_id is not None
            gen.claim_report(ws, claim_id, out, actor=actor.actor, viewer_role=actor.role, signed=signed)
        elif kind == "claim_bundle":
            assert claim_id is not None
            gen.claim_bundle(ws, claim_id, out, actor=actor.actor, viewer_role=actor.role, signed=signed)
        elif kind == "incident_report":
            gen.incident_report(ws, out, actor=actor.actor, signed=signed)
        else:
            gen.incident_bundle(ws, out, actor=actor.actor, signed=signed)
        return name, out.read_bytes()


def fetch(ws: Workspace, actor: User, sha256: str) -> bytes:
    """The verified bytes of a stored report or bundle (the read is recorded in the custody log)."""
    access.require(actor.role, "reports.generate")
    with ws.db.read() as con:
        ok = con.execute("SELECT 1 FROM evidence_files WHERE sha256 = ? AND kind IN ('report', 'export_bundle')",
                         [sha256]).fetchall()
    if not ok:
        raise InputError("there is no stored report with that SHA-256", column="report")
    return evidence.read_bytes(ws, sha256, actor=actor.actor, purpose="report download")
