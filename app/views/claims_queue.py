"""Investigators: the claims queue (filters, assignment, internal notes, status changes)."""

from __future__ import annotations

from typing import Any

import streamlit as st

from app import analysis, auth, claim_findings, claims, ui, uploads
from app.auth import User
from core.workspace import Workspace
from queries.records import Assessment, Claim

ALL = "All"
OPEN = "q_open"     # the number of the claim the investigator is looking at, kept across reruns
CLEAR = "q_clear"   # the form fields to empty on the next run, after their action succeeded


def _clear_fields() -> None:
    """Empty the fields of a form whose action succeeded (before the widgets exist, as Streamlit requires);
    a form whose action failed keeps what the user typed."""
    for key in st.session_state.pop(CLEAR, []):
        st.session_state[key] = ""


def _money(value: Any) -> str:
    return f"{value:,.2f}" if value is not None else ""


def render() -> None:
    ws, user = ui.guard("claims_queue")
    st.title("Claims queue")
    _clear_fields()
    c1, c2, c3, c4 = st.columns(4)
    status = c1.selectbox("Status", [ALL, *claims.STATUSES], key="q_status",
                          format_func=lambda s: s if s == ALL else claims.STATUS_LABELS[s])
    everyone = claims.list_claims(ws, user)
    exchanges = sorted({r["exchange"] for r in everyone})
    exchange = c2.selectbox("Exchange", [ALL, *exchanges], key="q_exchange")
    assignment = c3.selectbox("Assigned", [ALL, "Assigned to me", "Unassigned"], key="q_assigned")
    search = c4.text_input("Claim number or UID", key="q_search")
    listed = claims.list_claims(ws, user, status=None if status == ALL else status,
                                exchange=None if exchange == ALL else exchange,
                                assigned_to=user.id if assignment == "Assigned to me" else None,
                                unassigned=assignment == "Unassigned", search=search)
    st.caption(f"{len(listed)} of {len(everyone)} claims")
    ui.table([{"claim": r["id"], "status": claims.STATUS_LABELS[r["status"]], "exchange": r["exchange"],
               "UID": r["account"], "claimed loss (USD)": _money(r["claimed_loss_usd"]),
               "assigned to": r["assigned_to"] or "", "uploads": r["uploads"], "held for review": r["held"],
               "wallets": r["wallets"],
               "disputes": r["disputes"], "filed (UTC)": r["created_at"].strftime("%Y-%m-%d %H:%M")}
              for r in listed], key="q_table")
    if not listed:
        return
    ids = [int(r["id"]) for r in listed]
    by_id = {int(r["id"]): r for r in listed}
    # The open claim is kept by its number, and its label holds only what never changes (the browser
    # sends the label back): a label with the status would stop matching after a status change, and the
    # next action would silently go to the first claim of the list.
    start = st.session_state.get(OPEN)
    wanted = ui.query_int("claim")
    if wanted in ids and st.session_state.get("q_linked") != wanted:  # a link to a claim opens it once
        st.session_state["q_linked"] = start = wanted
    claim_id = st.selectbox("Open claim", ids, index=ids.index(start) if start in ids else 0, key="q_claim",
                            format_func=lambda i: f"Claim {i}: {by_id[i]['exchange']} {by_id[i]['account']}")
    st.session_state[OPEN] = claim_id
    found = ui.attempt(lambda: claim_findings.detail(ws, user, claim_id), waiting="Loading...")
    if found is not None:
        _detail(ws, user, found)


def _detail(ws: Workspace, user: User, found: claim_findings.Detail) -> None:
    claim, hist, loss = found.claim, found.history, found.computed_loss
    st.header(f"Claim {claim.id}: {claims.STATUS_LABELS[claim.status]}")
    left, right = st.columns(2)
    with left:
        st.markdown("**Claimant**")
        st.text(f"Name:   {claim.contact_name or '-'}\nE-mail: {claim.contact_email or '-'}\n"
                f"Phone:  {claim.contact_phone or '-'}")
        st.markdown("**Account**")
        st.text(f"Exchange: {claim.exchange}\nUID:      {claim.account}\n"
                f"Key fingerprint: {claim.key_fingerprint or '(not given)'}")
        st.markdown("**What happened**")
        ui.plain(claim.statement)
    with right:
        c1, c2 = st.columns(2)
        c1.metric("Claimed loss (USD)", _money(claim.claimed_loss_usd) or "not given")
        if loss:
            c2.metric("Computed loss (USD)", _money(loss["loss_usd"]))
        elif not found.account_has_trades:
            c2.metric("Computed loss (USD)", "no data",
                      help="No trade of this account is in the database: nothing to judge yet.")
        elif (ran := analysis.last_detection(ws)) is not None:
            c2.metric("Computed loss (USD)", "0.00",
                      help=f"Detection (last run {ran:%Y-%m-%d %H:%M} UTC) found no unauthorised trade in this "
                           "account's trades.")
        else:
            c2.metric("Computed loss (USD)", "not computed", help="Detection has not run yet (`keytrace detect`).")
        st.markdown("**Uploads**")
        if claim.evidence:
            ui.table([{"file": e["original_name"], "state": uploads.STATE_LABELS.get(e["state"], e["state"]),
                       "sha256": e["sha256"], "bytes": e["size_bytes"]} for e in claim.evidence], key="q_uploads")
            _upload_download(ws, user, claim)
        else:
            st.text("(none)")
        st.markdown("**Wallets proven by signature**")
        if claim.wallets:
            ui.table([{"address": w["address"], "verified (UTC)": w["verified_at"].strftime("%Y-%m-%d %H:%M")}
                      for w in claim.wallets], key="q_wallets")
        else:
            st.text("(none)")
    _assessment(user, claim)
    _review(ws, user, claim)
    st.subheader("History")
    ui.table([{"when (UTC)": h.at.strftime("%Y-%m-%d %H:%M:%S"), "status": claims.STATUS_LABELS[h.status],
               "reason (the victim sees it)": h.reason or ""} for h in hist.statuses], key="q_history")
    if hist.disputes:
        st.markdown("**Disputes by the claimant**")
        ui.table([{"when (UTC)": d.at.strftime("%Y-%m-%d %H:%M"), "text": d.text} for d in hist.disputes],
                 key="q_disputes")
    st.markdown("**Internal notes** (never shown to the claimant)")
    if hist.notes:
        ui.table([{"when (UTC)": n.at.strftime("%Y-%m-%d %H:%M"), "by": n.author, "note": n.text}
                  for n in hist.notes], key="q_notes")
    else:
        st.text("(none)")
    _actions(ws, user, claim)


def _upload_download(ws: Workspace, user: User, claim: Claim) -> None:
    """The victim's file as it was uploaded, checked against its SHA-256; the read goes to the custody log."""
    by_sha = {e["sha256"]: e for e in claim.evidence}
    sha = st.selectbox("Upload", list(by_sha), key=f"q_upload_pick_{claim.id}",
                       format_func=lambda s: f"{by_sha[s]['original_name']} ({s[:12]})")
    if st.button("Prepare the download", key=f"q_upload_fetch_{claim.id}"):
        got = ui.attempt(lambda: uploads.upload_content(ws, user, claim.id, sha), waiting="Checking the stored file...")
        if got is not None:
            name, content = got
            st.download_button(f"Download {name}", content, file_name=name, key=f"q_upload_download_{claim.id}")


def _review(ws: Workspace, user: User, claim: Claim) -> None:
    """Uploads the screen held back: accept (the rows are stored in the claimed account) or reject."""
    held = [u for u in uploads.list_uploads(ws, user, claim.id) if u.state == "quarantined"]
    if not held:
        return
    st.subheader("Uploads held for review")
    for u in held:
        with st.container(border=True):
            st.markdown(f"**{ui.md(u.name)}** (SHA-256 `{u.sha256}`), received {u.attached_at:%Y-%m-%d %H:%M} UTC")
            for signal, detail in u.signals:
                st.warning(f"{signal}: {ui.md(detail)}", icon=":material/flag:")
            reason = st.text_input("Reason (required to reject; the claimant sees it)",
                                   key=f"q_review_reason_{u.sha256[:16]}")
            c1, c2 = st.columns(2)
            accept = c1.button("Accept: store its rows in the claimed account", key=f"q_accept_{u.sha256[:16]}")
            reject = c2.button("Reject", key=f"q_reject_{u.sha256[:16]}")
            if accept or reject:
                _decide(ws, user, claim.id, u, accept=accept, reason=reason)


def _decide(ws: Workspace, user: User, claim_id: int, u: uploads.Upload, *, accept: bool, reason: str) -> None:
    done = ui.attempt(lambda: uploads.review_upload(ws, user, claim_id, u.sha256, accept=accept, reason=reason),
                      waiting="Reading the file into the account..." if accept else "Recording...")
    if done is not None:
        ui.flash(done.message(ui.md))
        st.rerun()


@st.cache_data(ttl=300, show_spinner=False, max_entries=200)
def _assess(db: str, user_id: int, username: str, role: str, claim_id: int, as_of: str) -> Assessment:
    """Fraud signals compare every claim with every account (seconds on a large case): computed once per
    claim change and kept for five minutes."""
    return claim_findings.assessment(ui.workspace(), User(user_id, username, role), claim_id)


def _assessment(user: User, claim: Claim) -> None:
    found = ui.attempt(lambda: _assess(str(ui.workspace().settings.db_path), user.id, user.username, user.role,
                                       claim.id, claim.updated_at.isoformat()), waiting="Assessing...")
    if found is None:
        return
    left, right = st.columns(2)
    with left:
        st.metric("Ownership evidence (0-100)", str(found.level))
        ui.table([{"level": g.level, "reason": g.reason} for g in found.grades], key="q_grades")
    with right:
        st.markdown("**Fraud signals**")
        if found.fraud_signals:
            for s in found.fraud_signals:
                st.warning(f"{s.signal}: {ui.md(s.detail)}", icon=":material/flag:")
        else:
            st.text("(none)")


def _actions(ws: Workspace, user: User, claim: Claim) -> None:
    a1, a2, a3 = st.columns(3)
    with a1, st.form(f"q_status_form_{claim.id}"):
        st.markdown("**Change the status**")
        new = st.selectbox("New status", list(claims.TRANSITIONS[claim.status]), key=f"q_new_status_{claim.id}",
                           format_func=lambda s: claims.STATUS_LABELS[s])
        reason = st.text_area("Reason (required to reject; the claimant sees it)", key=f"q_reason_{claim.id}")
        if st.form_submit_button("Change status", type="primary") and ui.act(
                lambda: claims.set_status(ws, user, claim.id, new, reason)):
            ui.flash(f"Claim {claim.id} is now {claims.STATUS_LABELS[new].lower()}.")
            st.session_state[CLEAR] = [f"q_reason_{claim.id}"]
            st.rerun()
    with a2, st.form(f"q_assign_form_{claim.id}"):
        st.markdown("**Assign**")
        staff = [u["username"] for u in auth.list_users(ws, user) if u["role"] in ("investigator", "admin")
                 and not u["disabled"]]
        options = ["(nobody)", *staff]
        current = claim.assigned_username if claim.assigned_username in staff else "(nobody)"
        who = st.selectbox("Investigator", options, index=options.index(current), key=f"q_assignee_{claim.id}")
        if st.form_submit_button("Assign") and ui.act(
                lambda: claims.assign(ws, user, claim.id, None if who == "(nobody)" else who)):
            ui.flash(f"Claim {claim.id} assigned to {ui.md(who)}.")
            st.rerun()
    with a3, st.form(f"q_note_form_{claim.id}"):
        st.markdown("**Add an internal note**")
        note = st.text_area("Note", key=f"q_note_{claim.id}")
        if st.form_submit_button("Add note") and ui.act(lambda: claims.add_note(ws, user, claim.id, note)):
            ui.flash("Note added.")
            st.session_state[CLEAR] = [f"q_note_{claim.id}"]
            st.rerun()


if __name__ == "__main__":
    render()
