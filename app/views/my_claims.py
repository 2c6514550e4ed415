"""Victims: follow a claim (status history, computed loss), upload exports, prove a wallet, dispute."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

import streamlit as st

from app import claim_findings, claims, ui, uploads
from app.auth import User
from core.errors import InputError, KeytraceError, Problem, UnknownFormatError
from core.evidence import safe_name
from core.workspace import Workspace
from queries.detect import LOSS_DEFINITION
from queries.reasons import describe
from queries.records import Claim

UPLOADER = "mc_files_gen"   # a new uploader (an empty one) after every "Upload and read"
OUTCOMES = "mc_outcomes"    # what became of each file of the last "Upload and read", shown once


def _label(row: dict[str, Any]) -> str:
    # only what never changes: the browser sends the label back, and a label with the status would stop
    # matching when an investigator changes it, sending the victim's next action nowhere
    return f"Claim {row['id']}: {row['exchange']} {row['account']}"


def render() -> None:
    ws, user = ui.guard("my_claims")
    st.title("Follow my claims")
    mine = claims.list_claims(ws, user)
    if not mine:
        st.info("You have not filed a claim yet.")
        st.page_link("views/claim_new.py", label="File a claim", icon=":material/edit_note:")
        return
    by_id = {int(r["id"]): r for r in mine}
    wanted = ui.query_int("claim") or st.session_state.get("kt_claim")
    if ui.query_int("claim") is not None and ui.query_int("claim") not in by_id:
        st.error(f"There is no claim {ui.query_int('claim')} that you can see.")
        wanted = None
    ids = list(by_id)
    index = ids.index(int(wanted)) if wanted is not None and int(wanted) in by_id else len(ids) - 1
    claim_id = st.selectbox("Claim", ids, index=index, format_func=lambda i: _label(by_id[i]), key="mc_claim")
    found = ui.attempt(lambda: claim_findings.detail(ws, user, claim_id), waiting="Loading...")
    if found is None:
        return
    claim = found.claim
    st.session_state["kt_claim"] = claim_id

    c1, c2, c3 = st.columns(3)
    c1.metric("Status", claims.STATUS_LABELS[claim.status])
    c2.metric("Loss you claimed (USD)", f"{claim.claimed_loss_usd:,.2f}" if claim.claimed_loss_usd is not None
              else "not given")
    c3.metric("Uploads", str(len(claim.evidence)))
    st.caption(f"{ui.md(claim.exchange)} account {ui.md(claim.account)}, filed "
               f"{claim.created_at:%Y-%m-%d %H:%M} UTC"
               + (f"; API key fingerprint {claim.key_fingerprint[:16]}..." if claim.key_fingerprint else ""))

    tab_status, tab_upload, tab_wallet, tab_dispute = st.tabs(
        ["Status and loss", "Upload exports", "Prove a wallet", "Dispute"])
    with tab_status:
        _status(ws, found)
    with tab_upload:
        _uploads(ws, user, claim)
    with tab_wallet:
        _wallet(ws, user, claim)
    with tab_dispute:
        _dispute(ws, user, claim)


def _status(ws: Workspace, found: claim_findings.Detail) -> None:
    hist = found.history
    st.subheader("Status history")
    ui.table([{"when (UTC)": h.at.strftime("%Y-%m-%d %H:%M"), "status": claims.STATUS_LABELS[h.status],
               "reason": h.reason or ""} for h in hist.statuses], key="mc_history")
    if hist.disputes:
        st.subheader("Your disputes")
        for d in hist.disputes:
            st.caption(f"{d.at:%Y-%m-%d %H:%M} UTC")
            ui.plain(d.text)
    st.subheader("Computed loss")
    loss = found.computed_loss
    for sentence in found.explanation:
        st.info(ui.md(sentence))
    if loss is None:
        return
    c1, c2 = st.columns(2)
    c1.metric("Computed loss (USD)", f"{loss['loss_usd']:,.2f}" if loss["loss_usd"] is not None else "not priced")
    c2.metric("Trades judged unauthorised", f"{loss['unauthorized_trades']:,}")
    st.write(f"Between {loss['first_unauthorized_utc']:%Y-%m-%d %H:%M} and "
             f"{loss['last_unauthorized_utc']:%Y-%m-%d %H:%M} UTC.")
    if found.reasons:
        st.markdown("**Why these trades were judged unauthorised**")
        ui.table([{"reason": describe(code), "code": code, "trades": n} for code, n in found.reasons],
                 key="mc_reasons")
    st.caption("How it is computed: " + LOSS_DEFINITION)
    if loss["unpriced_trades"]:
        st.caption(f"{loss['unpriced_trades']} trades could not be priced and are not included.")
    if loss["compromised_key"]:
        st.caption("The API key of this account is among the leaked keys.")


def _uploads(ws: Workspace, user: User, claim: Claim) -> None:
    st.write("Upload the trade history, order history or account statement you downloaded from "
             f"{ui.md(claim.exchange)}. Each file is checked against the account you claim, read into the case "
             "database and kept encrypted; its SHA-256 is on your filing receipt.")
    held = ui.attempt(lambda: uploads.list_uploads(ws, user, claim.id), waiting="Loading...") or []
    if held:
        ui.table([{"file": u.name, "state": u.state_label, "rows": _rows_text(u), "bytes": u.size_bytes,
                   "sha256": u.sha256, "received (UTC)": u.attached_at.strftime("%Y-%m-%d %H:%M")}
                  for u in held], key="mc_uploads")
        for u in held:
            if u.state == "quarantined":
                st.warning(f"{ui.md(u.name)} is held for review: "
                           + "; ".join(ui.md(d) for _s, d in u.signals)
                           + ". Its rows do not count for your claim until an investigator accepts it.",
                           icon=":material/pending:")
            elif u.state == "rejected":
                st.error(f"{ui.md(u.name)} was not accepted: {ui.md(u.decision_reason or 'no reason given')}")
        _withdraw(ws, user, claim, [u for u in held if u.state != "withdrawn"])
    st.download_button("Download my filing receipt", data=lambda: uploads.receipt(ws, user, claim.id),
                       file_name=f"keytrace-claim-{claim.id}-receipt.txt", mime="text/plain",
                       key="mc_receipt", on_click="ignore")
    for ok, message in st.session_state.pop(OUTCOMES, []):
        (st.success if ok else st.error)(message)
    gen = int(st.session_state.get(UPLOADER, 0))
    files = st.file_uploader("Exchange export (CSV, XLSX or ZIP)", accept_multiple_files=True,
                             key="mc_files" if gen == 0 else f"mc_files_{gen}")
    if not st.button("Upload and read", key="mc_upload", type="primary", disabled=not files):
        return
    bar = st.progress(0.0, text="Starting")
    outcomes: list[tuple[bool, str]] = []
    for n, f in enumerate(files or []):
        shown = safe_name(f.name)  # as uploaded, less any control or text-direction characters

        def report(frac: float, text: str, n: int = n, name: str = shown) -> None:
            total = len(files or [])
            bar.progress(min(1.0, (n + max(0.0, min(1.0, frac))) / total), text=f"{name}: {text}")

        with tempfile.TemporaryDirectory(prefix="keytrace-upload-") as tmp:
            path = Path(tmp) / shown
            path.write_bytes(f.getvalue())
            try:
                with st.spinner(f"Reading {shown}..."):
                    outcome = uploads.attach_upload(ws, user, claim.id, path, original_name=f.name, progress=report)
            except KeytraceError as exc:
                outcomes.append((False, ui.md(_upload_error(shown, exc))))
                continue
        outcomes.append((outcome.state == "accepted", outcome.message(ui.md)))
    # each file is read once: the uploader is replaced by an empty one, and the outcomes are shown once
    st.session_state[OUTCOMES] = outcomes
    st.session_state[UPLOADER] = gen + 1
    st.rerun()


def _rows_text(u: uploads.Upload) -> str:
    if u.state != "accepted" or u.rows_read is None:
        return ""
    return f"read {u.rows_read:,}, {u.rows_added or 0:,} new, {u.rows_known or 0:,} known"


def _withdraw(ws: Workspace, user: User, claim: Claim, active: list[uploads.Upload]) -> None:
    """Take back a wrong upload: the file stays in custody, marked withdrawn; its rows leave the account."""
    if not active:
        return
    with st.expander("Withdraw an upload"):
        by_sha = {u.sha256: u for u in active}
        sha = st.selectbox("Upload to withdraw", list(by_sha), key=f"mc_withdraw_pick_{claim.id}",
                           format_func=lambda s: f"{by_sha[s].name} ({s[:12]}...)")
        st.caption("The file stays in the case's custody, marked withdrawn; the rows it added to the account "
                   "are removed.")
        if st.button("Withdraw this upload", key=f"mc_withdraw_{claim.id}"):
            removed = ui.attempt(lambda: uploads.withdraw_upload(ws, user, claim.id, sha), waiting="Withdrawing...")
            if removed is not None:
                ui.flash(f"{ui.md(by_sha[sha].name)} was withdrawn ({removed:,} rows removed from the account).")
                st.rerun()


def _accepted_exchanges() -> str:
    from ingest.formats.base import registry

    names = sorted({s.description.split()[0] for s in registry() if s.exchange != "3commas"}, key=str.lower)
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _upload_error(name: str, exc: KeytraceError) -> str:
    """One or two sentences for a victim, with the file name exactly as shown (never capitalised)."""
    if isinstance(exc, UnknownFormatError):
        return (f"{name} is not an export keytrace knows. keytrace reads the trade, order, transaction and "
                f"deposit or withdrawal histories that {_accepted_exchanges()} let you download: export one "
                "from your exchange account (under Orders or Transaction history) and upload the file as it "
                "is, without opening and saving it in a spreadsheet.")
    if isinstance(exc, InputError) and exc.file is not None:
        text = Problem(name, exc.row, exc.column, exc.reason).sentence()
    else:
        text = str(exc)  # e.g. "kraken_trades.csv is a kraken export (kraken_trades), not binance"
        text = text if text.startswith(name) else f"{name}: {text}"
    return text if text.endswith((".", "!", "?")) else text + "."


def _wallet(ws: Workspace, user: User, claim: Claim) -> None:
    st.write("Prove that a wallet is yours by signing a one-time message in it (MetaMask: 'Sign message', "
             "or any wallet's personal_sign). A signature proves control without revealing your key.")
    if claim.wallets:
        ui.table([{"address": w["address"], "verified (UTC)": w["verified_at"].strftime("%Y-%m-%d %H:%M")}
                  for w in claim.wallets], key="mc_wallets")
    address = st.text_input("Wallet address (0x...)", key="mc_address")
    if st.button("Show the message to sign", key="mc_challenge"):
        ch = ui.attempt(lambda: claims.wallet_challenge(ws, user, claim.id, address), waiting="Preparing...")
        if ch is not None:
            st.session_state["kt_challenge"] = {"claim": claim.id, "nonce": ch.nonce, "message": ch.message}
    pending = st.session_state.get("kt_challenge")
    if not pending or pending.get("claim") != claim.id:
        return
    st.write("Sign exactly this message (it expires in 30 minutes and works once):")
    st.code(pending["message"], language=None)
    signature = st.text_input("Paste the signature (0x...)", key="mc_signature")
    if st.button("Verify the signature", key="mc_verify", type="primary"):
        result = ui.attempt(lambda: claims.verify_wallet(ws, user, claim.id, pending["nonce"], signature),
                            waiting="Verifying...")
        if result is None:
            return
        st.session_state.pop("kt_challenge", None)  # a challenge works once, whatever the outcome
        if result.ok:
            ui.flash(f"The signature verifies: wallet {result.address} is now linked to your claim.")
            st.rerun()
        else:
            st.error(ui.sentence(result.reason) + " Ask for a new message and sign it again.")


def _dispute(ws: Workspace, user: User, claim: Claim) -> None:
    st.write("If you disagree with a decision or with the computed loss, say why. Investigators see it "
             "with your claim.")
    with st.form("mc_dispute_form", clear_on_submit=True):
        text = st.text_area("Why do you disagree?", key="mc_dispute")
        sent = st.form_submit_button("Send my dispute")
    if sent and ui.act(lambda: claims.dispute(ws, user, claim.id, text)):
        st.success("Your dispute was recorded.")


if __name__ == "__main__":
    render()
