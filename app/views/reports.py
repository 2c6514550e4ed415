"""Legal: list, generate and download the signed reports and evidence bundles."""

from __future__ import annotations

import streamlit as st

from app import claims, reports_access, ui


def render() -> None:
    ws, user = ui.guard("reports")
    st.title("Reports and bundles")
    st.write("Reports are signed PDFs (PAdES); bundles are ZIP files with the CSVs, a SHA-256 manifest, STIX 2.1, "
             "MISP and IC3 fields. Every output is kept in the evidence store and recorded in the audit trail.")
    st.subheader("Make a report")
    every = claims.list_claims(ws, user)
    with st.form("rp_make"):
        kind = st.selectbox("What", list(reports_access.KINDS), format_func=lambda k: reports_access.KINDS[k],
                            key="rp_kind")
        claim_id = st.selectbox("Claim (for claim reports and bundles)", [int(r["id"]) for r in every],
                                format_func=lambda i: next(f"Claim {i}: {r['exchange']} {r['account']} "
                                                           f"({claims.STATUS_LABELS[r['status']]})"
                                                           for r in every if r["id"] == i), key="rp_claim")
        signed = st.checkbox("Sign the PDF", value=True, key="rp_signed")
        make = st.form_submit_button("Generate", type="primary")
    if make:
        made = ui.attempt(lambda: reports_access.generate(ws, user, kind, claim_id, signed=signed),
                          waiting="Gathering the facts, drawing and signing (this can take a minute)...")
        if made is not None:
            name, data = made
            st.success(f"{name} is ready ({len(data):,} bytes" + (", signed)." if signed else ", unsigned)."))
            st.download_button(f"Download {name}", data, file_name=name, key="rp_download_new",
                               mime="application/pdf" if name.endswith(".pdf") else "application/zip")
    st.subheader("Stored reports and bundles")
    stored = reports_access.stored(ws, user)
    if not stored:
        st.text("None yet.")
        return
    ui.table([{"file": r["original_name"], "kind": r["kind"], "claim": r["claim_id"] or "",
               "bytes": r["size_bytes"], "made by": r["submitted_by"],
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
