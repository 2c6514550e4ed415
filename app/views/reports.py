"""Legal: list, generate and download the signed reports and evidence bundles."""

from __future__ import annotations

import streamlit as st

from app import claims, reports_access, ui
from core.errors import KeytraceError
from core.workspace import Workspace

NO_CERTIFICATE = "no signing certificate is configured"


def signing_problem(ws: Workspace) -> str | None:
    """None when a signing certificate is configured; otherwise why PDFs cannot be signed, in app terms."""
    from reports import sign

    try:
        sign.signing_identity(ws)
    except KeytraceError as exc:
        if NO_CERTIFICATE in str(exc):
            return ("No signing certificate is configured for this case, so reports and bundles are made "
                    "unsigned. An administrator can configure one (see \"Reports for law enforcement\" in the "
                    "keytrace documentation).")
        return ("The configured signing certificate cannot be used (" + ui.md(str(exc)) + "), so reports and "
                "bundles are made unsigned. An administrator can correct the certificate settings (see "
                "\"Reports for law enforcement\" in the keytrace documentation).")
    return None


def _kind_label(kind: str, claim_id: object) -> str:
    """The evidence store's kind of a stored output, as the "What" list names it."""
    scope = "claim" if claim_id is not None else "incident"
    return reports_access.KINDS.get(f"{scope}_{'bundle' if kind == 'export_bundle' else 'report'}", kind)


def _maker(actor: str) -> str:
    """The audit actor "user:4:lena" as the user name; a command-line actor "cli:ops" as "ops (command line)"."""
    parts = actor.split(":")
    if parts[0] == "user" and len(parts) >= 3:
        return ":".join(parts[2:])
    if parts[0] == "cli" and len(parts) >= 2:
        return ":".join(parts[1:]) + " (command line)"
    return actor


def render() -> None:
    ws, user = ui.guard("reports")
    st.title("Reports and bundles")
    st.write("Reports are PDFs, signed (PAdES) when a signing certificate is configured; bundles are ZIP files "
             "with the CSVs, a SHA-256 manifest (signed like the reports), STIX 2.1, MISP and IC3 fields; "
             "`keytrace report verify` checks either. Every output is kept in the "
             "evidence store and recorded in the audit trail.")
    st.subheader("Make a report")
    every = claims.list_claims(ws, user)
    problem = signing_problem(ws)
    if problem:
        st.info(problem, icon=":material/draw:")
    with st.form("rp_make"):
        kind = st.selectbox("What", list(reports_access.KINDS), format_func=lambda k: reports_access.KINDS[k],
                            key="rp_kind")
        claim_id = st.selectbox("Claim (for claim reports and bundles)", [int(r["id"]) for r in every],
                                format_func=lambda i: next(f"Claim {i}: {r['exchange']} {r['account']} "
                                                           f"({claims.STATUS_LABELS[r['status']]})"
                                                           for r in every if r["id"] == i), key="rp_claim")
        signed = st.checkbox("Sign the PDF", value=problem is None, disabled=problem is not None, key="rp_signed",
                             help="A PAdES signature over the report (also the report inside a bundle)."
                             if problem is None else "Signing needs a signing certificate (see above).")
        make = st.form_submit_button("Generate", type="primary")
    if make:
        signed = signed and problem is None
        made = ui.attempt(lambda: reports_access.generate(ws, user, kind, claim_id, signed=signed),
                          waiting="Gathering the facts, drawing and signing (this can take a minute)...")
        if made is not None:
            name, data = made
            st.success(f"{name} is ready ({ui.size(len(data))}" + (", signed)." if signed else ", unsigned)."))
            st.download_button(f"Download {name}", data, file_name=name, key="rp_download_new",
                               mime="application/pdf" if name.endswith(".pdf") else "application/zip")
    st.subheader("Stored reports and bundles")
    stored = reports_access.stored(ws, user)
    if not stored:
        st.text("None yet.")
        return
    ui.table([{"file": r["original_name"], "kind": _kind_label(r["kind"], r["claim_id"]),
               "claim": "" if r["claim_id"] is None else str(r["claim_id"]),
               "size": ui.size(r["size_bytes"]), "made by": _maker(str(r["submitted_by"])),
               "made (UTC)": r["submitted_at"].strftime("%Y-%m-%d %H:%M"), "sha256": r["sha256"]} for r in stored],
             key="rp_table")
    by_sha = {r["sha256"]: r for r in stored}
    sha = st.selectbox("Download", list(by_sha), key="rp_pick",
                       format_func=lambda s: f"{by_sha[s]['original_name']} ({s[:12]})")
    if st.button("Prepare the download", key="rp_fetch"):
        content = ui.attempt(lambda: reports_access.fetch(ws, user, sha), waiting="Checking the stored file...")
        if content is not None:
            st.download_button(f"Download {by_sha[sha]['original_name']}", content, key="rp_download",
                               file_name=by_sha[sha]["original_name"])


if __name__ == "__main__":
    render()
