"""What keytrace concluded about a claim: for its claimant (the computed loss and why, or exactly which
evidence is missing; withheld until the account is shown to be theirs) and for staff (graded ownership
evidence and fraud signals). Read-only; every function checks the actor's role through
:mod:`app.claims`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import duckdb

from app import access, claims
from app.auth import User
from core.workspace import Workspace
from queries import runner
from queries.claims import fraud_signals, ownership_grades
from queries.records import Assessment, Claim, History


@dataclass(frozen=True)
class Detail:
    claim: Claim
    history: History
    computed_loss: dict[str, Any] | None
    loss_withheld: bool = False    # a claimant who has not shown the account is theirs is not told its loss
    account_has_trades: bool = False  # any trade of the claimed account is held (else nothing to judge yet)
    explanation: tuple[str, ...] = ()   # what keytrace holds and made of it, or exactly what is missing
    reasons: tuple[tuple[str, int], ...] = ()   # (reason code, unauthorised trades carrying it)


def detail(ws: Workspace, actor: User, claim_id: int) -> Detail:
    """A claim, its history (notes only for staff) and its computed loss, read on one connection."""
    from app import analysis

    detection = analysis.has_detection(analysis.present(ws))
    with ws.db.read() as con:
        claim = claims.claim_on(ws, con, actor, claim_id)
        hist = claims.history_on(ws, con, actor, claim_id)
        withheld = not actor.is_staff and not _shown_to_claimant(con, claim)
        loss = analysis.account_loss(con, claim.exchange, claim.account) if detection and not withheld else None
        has_trades = not withheld and analysis.account_has_trades(con, claim.exchange, claim.account)
        params = {"claim_id": claim.id, "exchange": claim.exchange, "account": claim.account}
        state = runner.run(con, "claims/claim_evidence_state", params) if detection else []
        reasons = tuple((str(r["reason"]), int(r["trades"])) for r in
                        runner.run(con, "pages/account_reason_counts", {"exchange": claim.exchange,
                                                                           "account": claim.account})
                        ) if loss is not None else ()
        shared = withheld and claims.claimed_by_another(con, claim)
    return Detail(claim, hist, loss, withheld, has_trades, _explain(claim, state, withheld, shared, loss), reasons)


def _explain(claim: Claim, state: list[dict[str, Any]], withheld: bool, shared: bool,
             loss: dict[str, Any] | None) -> tuple[str, ...]:
    """Sentences for the claimant: what keytrace holds of the account and what it made of it, or exactly
    which evidence is missing. Staff's own findings are not in them."""
    ups = [r for r in state if r["kind"] == "upload"]
    acct = next((r for r in state if r["kind"] == "account"), None)
    acc = f"{claim.exchange} account {claim.account}"
    out: list[str] = []
    for r in ups:
        if r["state"] == "quarantined":
            out.append(f"{r['name']} is held for review: its rows do not count until an investigator accepts it.")
        elif r["state"] == "rejected":
            out.append(f"{r['name']} was not accepted by the investigators.")
    accepted = [r for r in ups if r["state"] == "accepted"]
    if withheld:
        out.append("The loss keytrace computes for an account is shown to its holder: once an export of yours "
                   "that names the account in its own rows is attached, or once an investigator has verified "
                   "your claim.")
        if shared:
            out.append(f"Another person also claims {acc}, so its findings are shown to neither of you until an "
                       "investigator has reviewed both claims.")
        elif not any(r["names_account"] for r in accepted):
            named = ", ".join(f"{r['name']} ({r['format']})" for r in accepted) or "none yet"
            out.append(f"Your accepted uploads ({named}) do not name {acc} in their own rows, so they do not show "
                       "the account is yours. Upload an export that carries your UID (Binance: the Transaction "
                       "statement or the deposit and withdrawal history; KuCoin, OKX, Kraken: any of their "
                       "exports), or wait until an investigator verifies your claim.")
        return tuple(out)
    if acct is None or acct["detection_at"] is None:  # detection never ran
        if acct is not None and not acct["executions"]:
            out.append(f"keytrace holds no trade of {acc} yet. Upload the trade history, order history or "
                       "account statement you downloaded from the exchange for the days of the attack.")
        out.append("The analysis has not run yet; investigators run it once the evidence is in, and its "
                   "result will show here.")
        return tuple(out)
    if acct["excluded_reason"]:
        out.append("The last analysis left this account out because its evidence is in dispute (an export "
                   "without a UID that is also another account's); an investigator will settle it.")
    if not acct["executions"]:
        out.append(f"keytrace holds no trade of {acc}. Upload the trade history, order history or account "
                   "statement you downloaded from the exchange for the days of the attack.")
    elif acct["newer_than_detection"] and int(acct["scored"]) >= int(acct["executions"]):
        out.append("Evidence of this account came in after the last analysis ran "
                   f"({acct['detection_at']:%Y-%m-%d %H:%M} UTC); the figures below will change when it runs again.")
    if loss is not None:
        out.append(f"The last analysis scored {int(acct['scored']):,} of the account's {int(acct['executions']):,} "
                   f"trades and judged {int(loss['unauthorized_trades']):,} of them unauthorised.")
    elif acct["executions"] and not acct["excluded_reason"]:
        ran = f"The last analysis ({acct['detection_at']:%Y-%m-%d %H:%M} UTC)"
        if int(acct["scored"]) < int(acct["executions"]):
            out.append(f"{ran} scored {int(acct['scored']):,} of the {int(acct['executions']):,} trades keytrace now "
                       f"holds of {acc}; the others came in after it and are judged when it runs again.")
        else:
            out.append(f"{ran} found no unauthorised trade among the {int(acct['executions']):,} trades of {acc} "
                       "that keytrace holds, so no loss is computed.")
    return tuple(out)


def _shown_to_claimant(con: duckdb.DuckDBPyConnection, claim: Claim) -> bool:
    """May the claimant see the findings of the account they claim? Only once staff verified the claim, or
    once an export of their own names the account (ownership level 40) and nobody else claims it: an
    account's losses and trading are not for whoever types its UID into a claim."""
    from queries import runner

    if claim.status in ("verified", "referred"):
        return True
    grades = runner.run(con, "claims/ownership_evidence", {"claim_id": claim.id})
    if not any(int(g["level"]) == 40 for g in grades):
        return False
    return not claims.claimed_by_another(con, claim)


# -- the computed loss ---------------------------------------------------------------------------
def computed_loss(ws: Workspace, actor: User, claim_id: int) -> dict[str, Any] | None:
    """The loss detection computed for the claimed account, or None when there is none (yet) or the claimant
    may not see it (see :func:`detail`)."""
    return detail(ws, actor, claim_id).computed_loss


# -- the investigators' assessment ---------------------------------------------------------------
def assessment(ws: Workspace, actor: User, claim_id: int) -> Assessment:
    """The graded ownership evidence and the fraud signals of a claim, computed now (read-only)."""
    access.require(actor.role, "claims.read_notes")
    with ws.db.read() as con:
        claims.load_claim_row(con, actor, claim_id)
        grades = ownership_grades(con, claim_id)
        signals = fraud_signals(con, claim_id)
    return Assessment(grades[0].level if grades else 0, grades, signals)
