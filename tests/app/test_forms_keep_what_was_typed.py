"""Forms that keep what the user typed, act on the claim on screen, and never misread or repeat a claim.

Each test drives the real pages through AppTest and checks what the user sees (and what was stored).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from streamlit.proto.WidgetStates_pb2 import WidgetState
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Selectbox

from app import auth, claims
from core.workspace import Workspace
from tests.app.conftest import PASSWORD, AppFor, People
from tests.app.test_pages import click, texts
from tests.conftest import FIXTURES

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"
EXPORTS = FIXTURES / "exchange_exports"


class _HeldSelectbox(Selectbox[Any]):
    """A select box as the browser handles it: it sends back the label the user picked, even after the
    server has relabelled the options."""

    held: str

    @property
    def _widget_state(self) -> WidgetState:
        ws = WidgetState()
        ws.id = self.id
        ws.string_value = self.held
        return ws


def _hold(at: AppTest, key: str, label: str) -> None:
    box = at.selectbox(key=key)
    box.__class__ = _HeldSelectbox
    box.held = label  # type: ignore[attr-defined]


def _queue_with_claims(ws: Workspace, people: People, n: int) -> list[int]:
    return [claims.file_claim(ws, people.victim, exchange="binance", account=f"100{i}",
                              contact_email="vera@example.org", claimed_loss_usd="1000") for i in range(n)]


# -- 1. the claims queue acts on the claim on screen, whatever happened before ---------------------
def test_every_queue_action_after_a_status_change_applies_to_the_open_claim(ws: Workspace, app_for: AppFor,
                                                                            people: People) -> None:
    ids = _queue_with_claims(ws, people, 4)
    cid = ids[3]
    at = app_for(people.investigator, "views/claims_queue.py")
    at.selectbox(key="q_claim").select(cid)
    at.run()
    picked = at.selectbox(key="q_claim")
    label = picked.options[picked.index or 0]
    assert at.header[0].value == f"Claim {cid}: Submitted"

    _hold(at, "q_claim", label)
    at.selectbox(key=f"q_new_status_{cid}").select("in_review")
    click(at, "Change status")
    assert f"Claim {cid} is now in review." in [s.value for s in at.success]

    _hold(at, "q_claim", label)  # the browser still holds the label picked before the status changed
    at.selectbox(key=f"q_new_status_{cid}").select("rejected")
    at.text_area(key=f"q_reason_{cid}").input("No trades in the attack window.")
    click(at, "Change status")
    assert not at.exception
    assert f"Claim {cid} is now rejected." in [s.value for s in at.success]
    assert at.header[0].value == f"Claim {cid}: Rejected"

    _hold(at, "q_claim", label)
    at.text_area(key=f"q_note_{cid}").input("Asked the victim for the order history.")
    click(at, "Add note")
    assert "Note added." in [s.value for s in at.success]
    assert at.header[0].value == f"Claim {cid}: Rejected"
    assert at.text_area(key=f"q_note_{cid}").value == ""  # emptied after success
    assert [n.text for n in claims.history(ws, people.investigator, cid).notes] == [
        "Asked the victim for the order history."]
    assert [s.status for s in claims.history(ws, people.investigator, cid).statuses] == [
        "submitted", "in_review", "rejected"]
    for other in ids[:3]:  # nothing went to another claim
        assert claims.get_claim(ws, people.investigator, other).status == "submitted"
        assert claims.history(ws, people.investigator, other).notes == []


# -- 2. a refused form keeps what was typed ---------------------------------------------------------
def test_a_refused_status_change_keeps_the_chosen_status_and_reason(ws: Workspace, app_for: AppFor,
                                                                     people: People) -> None:
    cid = _queue_with_claims(ws, people, 1)[0]
    at = app_for(people.investigator, "views/claims_queue.py")
    at.selectbox(key=f"q_new_status_{cid}").select("rejected")
    at.text_area(key=f"q_reason_{cid}").input("x" * 2001)
    click(at, "Change status")
    assert [e.value for e in at.error] == ["Reason is longer than 2,000 characters."]
    click(at, "Change status")  # sent again untouched: the same status and reason, so the same answer
    assert [e.value for e in at.error] == ["Reason is longer than 2,000 characters."]
    assert claims.get_claim(ws, people.investigator, cid).status == "submitted"
    at.text_area(key=f"q_reason_{cid}").input("x" * 2000)  # shortened; the status chosen is still there
    click(at, "Change status")
    assert f"Claim {cid} is now rejected." in [s.value for s in at.success]
    assert claims.get_claim(ws, people.investigator, cid).status == "rejected"
    assert at.text_area(key=f"q_reason_{cid}").value == ""


def test_a_refused_account_keeps_every_field_and_a_created_one_empties_the_form(ws: Workspace, app_for: AppFor,
                                                                                people: People) -> None:
    at = app_for(people.admin, "views/users.py")
    at.text_input(key="ua_username").input("Bad Name!")
    at.selectbox(key="ua_role").select("legal")
    at.text_input(key="ua_password").input(PASSWORD)
    at.text_input(key="ua_email").input("ivo@example.org")
    click(at, "Create account")
    assert len(at.error) == 1 and at.error[0].value.startswith("A user name has 3 to 40 characters")
    at.text_input(key="ua_username").input("ivo")  # only the refused field is corrected
    click(at, "Create account")
    assert not at.error
    assert [s.value for s in at.success] == ["Account ivo (legal) created."]
    assert [at.text_input(key=k).value for k in ("ua_username", "ua_password", "ua_email")] == ["", "", ""]
    _, token = auth.login(ws, "ivo", PASSWORD)
    assert token


# -- 3-6. filing a claim ------------------------------------------------------------------------------
def _fill(at: AppTest, *, account: str = "38811234", loss: str = "12,500.00", email: str = "vera@example.org",
          statement: str = "They sold my BTC and bought AKRO at 22:29 UTC.") -> None:
    at.text_input(key="cn_name").input("Vera Victim")
    at.text_input(key="cn_email").input(email)
    at.selectbox(key="cn_exchange").select("binance")
    at.text_input(key="cn_account").input(account)
    at.text_input(key="cn_api_key").input(API_KEY)
    at.text_area(key="cn_statement").input(statement)
    at.text_input(key="cn_loss").input(loss)


def _losses(ws: Workspace, people: People) -> list[Decimal | None]:
    return [r["claimed_loss_usd"] for r in claims.list_claims(ws, people.investigator)]


def test_a_loss_is_never_misread(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.victim, "views/claim_new.py")
    for bad in ("12.500,00", "12,50", "1,2,3", "12.500", "1,25,000.00", "12500.001", "12 500"):
        _fill(at, loss=bad)
        click(at, "File my claim")
        assert [e.value for e in at.error] == [
            f"The loss '{bad}' is not an amount keytrace can read without guessing; write it in US dollars "
            "with digits, a dot before the cents and, if you like, commas between thousands, e.g. 12500, "
            "12500.00 or 12,500.00."], bad
        assert not at.success and _losses(ws, people) == []
    _fill(at, loss="-500")
    click(at, "File my claim")
    assert [e.value for e in at.error] == ["The loss must be a positive amount in US dollars."]
    for n, good in enumerate(("12500", "12500.00", "12,500.00", "$12,500")):
        _fill(at, account=f"acct-{n}", loss=good)
        click(at, "File my claim")
        assert not at.error, (good, [e.value for e in at.error])
    assert _losses(ws, people) == [Decimal("12500.00")] * 4


def test_the_claim_e_mail_is_checked_as_at_registration(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.victim, "views/claim_new.py")
    _fill(at, email="not an email")
    click(at, "File my claim")
    assert [e.value for e in at.error] == ["The e-mail address is not valid."]
    assert _losses(ws, people) == []
    reg = app_for(None, "views/register.py")  # the registration says the same about the same address
    reg.text_input(key="reg_username").input("newvictim")
    reg.text_input(key="reg_password").input(PASSWORD)
    reg.text_input(key="reg_repeat").input(PASSWORD)
    reg.text_input(key="reg_email").input("not an email")
    click(reg, "Create my account")
    assert [e.value for e in reg.error] == ["The e-mail address is not valid."]


def test_a_filed_claim_empties_the_form_and_cannot_be_filed_twice(ws: Workspace, app_for: AppFor,
                                                                  people: People) -> None:
    at = app_for(people.victim, "views/claim_new.py")
    _fill(at)
    click(at, "File my claim")
    assert at.success[0].value.startswith("Claim 1 filed.")
    assert [at.text_input(key=k).value for k in ("cn_name", "cn_email", "cn_account", "cn_api_key", "cn_loss")
            ] == [""] * 5
    assert at.text_area(key="cn_statement").value == ""
    click(at, "File my claim")  # the second click of a double click finds an empty form
    assert not at.success
    assert [e.value for e in at.error] == ["Exchange UID is required."]
    _fill(at)  # the same claim sent again moments later (a resent form)
    click(at, "File my claim")
    assert [e.value.replace("\\", "") for e in at.error] == [  # as shown: without Markdown's escapes
        "You filed this same claim (claim 1: same exchange, UID, API key and loss) a moment ago, so it was "
        "not filed a second time; follow it on the page 'Follow my claims'."]
    assert len(claims.list_claims(ws, people.victim)) == 1
    _fill(at, loss="12,600.00")  # a different loss is another claim
    click(at, "File my claim")
    assert at.success[0].value.startswith("Claim 2 filed.")


def test_the_secret_warning_appears_only_when_a_secret_was_typed(ws: Workspace, app_for: AppFor,
                                                                  people: People) -> None:
    at = app_for(people.victim, "views/claim_new.py")
    assert not at.warning
    assert "revoke" not in texts(at)
    _fill(at, statement="my seed: " + " ".join(["abandon"] * 11 + ["about"]))
    click(at, "File my claim")
    warnings = [w.value for w in at.warning]
    assert len(warnings) == 1 and "revoke it now" in warnings[0]
    assert warnings[0].startswith("What happened looks like a wallet seed phrase")


# -- 7. uploads: read once, told once, in words a victim understands -------------------------------
def _upload(at: AppTest, name: str, data: bytes) -> AppTest:
    at.file_uploader[0].set_value((name, data, "text/csv"))
    at.run()
    return click(at, "Upload and read")


def _said(at: AppTest) -> list[str]:
    return [e.value.replace("\\", "") for e in (*at.success, *at.error)]


def test_each_upload_is_read_once_and_its_outcome_said_once(ws: Workspace, app_for: AppFor,
                                                            people: People) -> None:
    cid = claims.file_claim(ws, people.victim, exchange="binance", account="38811234",
                            contact_email="vera@example.org")
    at = app_for(people.victim, "views/my_claims.py")
    _upload(at, "Export Trade History.csv", (EXPORTS / "binance_spot_trade_history_2018.csv").read_bytes())
    assert not at.exception
    said = _said(at)
    assert len(said) == 1 and said[0].startswith("Export Trade History.csv: read 8 rows, 8 new, 0 already known")
    assert at.file_uploader[0].value in (None, [])  # the uploader is empty again

    _upload(at, "evil.csv", b"who,what,when\nme,nothing,now\n")
    said = _said(at)
    assert len(said) == 1, said  # the earlier file is neither re-read nor re-announced
    assert said[0].startswith("evil.csv is not an export keytrace knows. keytrace reads the trade, order, ")
    assert "Binance" in said[0] and "KuCoin" in said[0] and "spreadsheet" in said[0]
    assert "binance_api_restrictions" not in said[0] and "--api-key" not in said[0] and len(said[0]) < 450

    _upload(at, "kraken_trades.csv", (EXPORTS / "kraken_trades.csv").read_bytes())
    said = _said(at)
    assert len(said) == 1 and said[0].startswith("kraken_trades.csv is a kraken export"), said
    assert len(claims.get_claim(ws, people.victim, cid).evidence) == 1


def test_a_message_that_starts_with_a_file_name_keeps_its_spelling() -> None:
    from app.ui import sentence

    assert sentence("evil.csv, row 3: the time is missing") == "evil.csv, row 3: the time is missing."
    assert sentence("kraken_trades.csv is a kraken export") == "kraken_trades.csv is a kraken export."
    assert sentence("the loss must be positive") == "The loss must be positive."
