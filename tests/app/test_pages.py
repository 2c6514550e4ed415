"""AppTest for every page and role, including the denied cases."""

from __future__ import annotations

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from app import access, claims, uploads
from core.workspace import Workspace
from tests.app.conftest import APP_DIR, PASSWORD, AppFor, People
from tests.conftest import FIXTURES

ALL_PAGE_FILES = sorted({p.file for p in access.PAGES if (APP_DIR / p.file).exists()})


def click(at: AppTest, label: str) -> AppTest:
    matches = [b for b in at.button if b.label == label]
    assert matches, f"no button {label!r}; buttons: {[b.label for b in at.button]}"
    matches[0].click()
    return at.run()


def frame(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    for d in at.dataframe:
        if column in d.value.columns:
            return d.value
    raise AssertionError(f"no table with a column {column!r}")


def texts(at: AppTest) -> str:
    parts = [e.value for e in (*at.success, *at.error, *at.warning, *at.info)]
    parts += [m.value for m in at.markdown] + [t.value for t in at.text] + [c.value for c in at.caption]
    parts += [h.value for h in (*at.title, *at.header, *at.subheader)]
    return "\n".join(str(p) for p in parts)


def file_claim(ws: Workspace, people: People) -> int:
    return claims.file_claim(ws, people.victim, exchange="binance", account="38811234",
                             contact_email="vera@example.org", statement="AKRO pumped through my account",
                             claimed_loss_usd="1000")


# -- logged out -----------------------------------------------------------------------------------
def test_logged_out_only_login_and_registration_exist(app_for: AppFor) -> None:
    at = app_for(None)
    assert not at.exception
    assert at.text_input(key="login_username") is not None
    for page in ALL_PAGE_FILES:
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)


@pytest.mark.parametrize("page", ALL_PAGE_FILES)
def test_a_page_opened_directly_without_a_session_asks_to_log_in(app_for: AppFor, page: str) -> None:
    at = app_for(None, file=str(APP_DIR / page))
    assert not at.exception
    assert [w.value for w in at.warning] == ["Please log in to see this page."]
    assert not at.dataframe and not at.metric


def test_login_form_logs_in_and_a_wrong_password_is_one_sentence(app_for: AppFor) -> None:
    at = app_for(None)
    at.text_input(key="login_username").input("vera")
    at.text_input(key="login_password").input("wrong password!")
    click(at, "Log in")
    assert [e.value for e in at.error] == ["The user name or password is wrong."]
    at.text_input(key="login_password").input(PASSWORD)
    click(at, "Log in")
    assert not at.exception
    assert "kt_token" in at.session_state
    assert [t.value for t in at.title] == ["File a claim"]  # a victim's first page


def test_a_victim_registers_and_lands_on_the_claim_form(ws: Workspace, app_for: AppFor) -> None:
    at = app_for(None).switch_page("views/register.py").run()
    at.text_input(key="reg_username").input("newvictim")
    at.text_input(key="reg_password").input(PASSWORD)
    at.text_input(key="reg_repeat").input(PASSWORD)
    at.text_input(key="reg_email").input("new@example.org")
    click(at, "Create my account")
    assert not at.exception
    assert [t.value for t in at.title] == ["File a claim"]
    with ws.db.read() as con:
        assert con.execute("SELECT role FROM users WHERE username = 'newvictim'").fetchall() == [("victim",)]


# -- denied cases ---------------------------------------------------------------------------------
@pytest.mark.parametrize("role", ["victim", "investigator", "legal", "admin"])
def test_each_role_is_refused_every_page_it_may_not_open(app_for: AppFor, people: People, role: str) -> None:
    user = people.of(role)
    at = app_for(user)
    assert not at.exception
    for page in ALL_PAGE_FILES:
        key = next(p.key for p in access.PAGES if p.file == page)
        if access.may_open(role, key):
            continue
        with pytest.raises(ValueError, match="Could not find a navigation page"):
            at.switch_page(page)  # not in this role's menu
        direct = app_for(user, file=str(APP_DIR / page))  # and refused when opened by its path
        assert [e.value for e in direct.error] == ["Your account cannot open this page."], (role, page)
        assert not direct.dataframe and not direct.metric and not direct.exception


@pytest.mark.parametrize("role", ["victim", "investigator", "legal", "admin"])
def test_each_role_opens_every_page_it_may(app_for: AppFor, people: People, role: str) -> None:
    at = app_for(people.of(role))
    for page in ALL_PAGE_FILES:
        key = next(p.key for p in access.PAGES if p.file == page)
        if not access.may_open(role, key):
            continue
        try:
            at.switch_page(page)
        except ValueError:
            continue  # a page whose data this database cannot hold is left out of the menu
        at.run()
        assert not at.exception, (role, page, at.exception)
        assert not at.error, (role, page, [e.value for e in at.error])
        assert at.title[0].value == access.page(key).title


def test_an_expired_or_revoked_session_is_logged_out(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator)
    with ws.db.write() as con:
        con.execute("UPDATE sessions SET revoked = true")
    at.run()
    assert "kt_token" not in at.session_state
    assert at.text_input(key="login_username") is not None


# -- victims --------------------------------------------------------------------------------------
def _fill_claim(at: AppTest, statement: str) -> AppTest:
    at.text_input(key="cn_name").input("Vera Victim")
    at.text_input(key="cn_email").input("vera@example.org")
    at.selectbox(key="cn_exchange").select("binance")
    at.text_input(key="cn_account").input("38811234")
    at.text_input(key="cn_api_key").input("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
    at.text_area(key="cn_statement").input(statement)
    at.text_input(key="cn_loss").input("12,500.00")
    return click(at, "File my claim")


def test_a_victim_files_a_claim(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = _fill_claim(app_for(people.victim), "They sold my BTC and bought AKRO at 22:29 UTC.")
    assert not at.exception
    assert at.success[0].value.startswith("Claim 1 filed.")
    c = claims.get_claim(ws, people.victim, 1)
    assert (c.account, str(c.claimed_loss_usd), c.contact_name) == ("38811234", "12500.00", "Vera Victim")


def test_a_secret_on_the_claim_form_is_refused_with_the_reason(ws: Workspace, app_for: AppFor,
                                                              people: People) -> None:
    at = _fill_claim(app_for(people.victim), "my seed: " + " ".join(["abandon"] * 11 + ["about"]))
    warnings = [w.value for w in at.warning]
    assert any(w.startswith("What happened looks like a wallet seed phrase") and "never needs it" in w
               for w in warnings), warnings
    assert not at.success
    assert claims.list_claims(ws, people.investigator) == []


def test_a_victim_follows_uploads_and_disputes_their_claim(ws: Workspace, app_for: AppFor,
                                                           people: People) -> None:
    cid = file_claim(ws, people)
    at = app_for(people.victim, "views/my_claims.py")
    assert not at.exception
    assert {m.label: m.value for m in at.metric}["Status"] == "Submitted"
    at.file_uploader(key="mc_files").set_value(
        ("Export Trade History.csv", (FIXTURES / "exchange_exports" / "binance_spot_trade_history_2018.csv")
         .read_bytes(), "text/csv"))
    at.run()
    click(at, "Upload and read")
    assert not at.exception
    said = [s.value.replace("\\", "") for s in at.success]
    assert len(said) == 1 and said[0].startswith("Export Trade History.csv: read 8 rows, 8 new, 0 already known "
                                                 "(SHA-256 "), said
    at.text_area(key="mc_dispute").input("The loss is higher: see my second export.")
    click(at, "Send my dispute")
    assert "Your dispute was recorded." in [s.value for s in at.success]
    h = claims.history(ws, people.investigator, cid)
    assert [d.text for d in h.disputes] == ["The loss is higher: see my second export."]
    assert len(claims.get_claim(ws, people.victim, cid).evidence) == 1


def test_a_victim_cannot_reach_another_victims_claim_through_the_url(ws: Workspace, app_for: AppFor,
                                                                      people: People) -> None:
    theirs = claims.file_claim(ws, people.other_victim, exchange="kucoin", account="OTHER-UID-77",
                               contact_email="otto@example.org", statement="secret story of otto")
    mine = file_claim(ws, people)
    at = app_for(people.victim, "views/my_claims.py", query={"claim": str(theirs)})
    assert not at.exception
    shown = texts(at)
    assert f"There is no claim {theirs} that you can see." in [e.value for e in at.error]
    assert "OTHER-UID-77" not in shown and "otto" not in shown
    assert at.selectbox(key="mc_claim").options == [f"Claim {mine}: binance 38811234"]
    at.session_state["kt_claim"] = theirs  # a crafted session value gets the same answer
    at.query_params.clear()
    at.run()
    assert "OTHER-UID-77" not in texts(at)


def test_a_victim_sees_status_and_reason_but_never_internal_notes(ws: Workspace, app_for: AppFor,
                                                                   people: People) -> None:
    cid = file_claim(ws, people)
    claims.add_note(ws, people.investigator, cid, "INTERNAL: check the IP logs")
    claims.set_status(ws, people.investigator, cid, "rejected", "No trades in the window.")
    at = app_for(people.victim, "views/my_claims.py")
    history = frame(at, "reason")
    assert list(history["status"]) == ["Submitted", "Rejected"]
    assert list(history["reason"]) == ["", "No trades in the window."]
    assert "INTERNAL" not in texts(at)


# -- investigators --------------------------------------------------------------------------------
def test_an_investigator_works_the_queue(ws: Workspace, app_for: AppFor, people: People) -> None:
    cid = file_claim(ws, people)
    at = app_for(people.investigator, "views/claims_queue.py")
    assert not at.exception
    assert list(frame(at, "claim")["claim"]) == [cid]
    assert "vera@example.org" in texts(at)  # staff see the decrypted contact details
    assert {m.label: m.value for m in at.metric}["Ownership evidence (0-100)"] == "0"
    assert [r.split(":")[0] for r in frame(at, "level")["reason"]] == ["CLAIM_ONLY"]
    at.selectbox(key=f"q_assignee_{cid}").select("ines")
    click(at, "Assign")
    assert f"Claim {cid} assigned to ines." in [s.value for s in at.success]
    at.text_area(key=f"q_note_{cid}").input("Key found in the dump.")
    click(at, "Add note")
    at.selectbox(key=f"q_new_status_{cid}").select("rejected")
    click(at, "Change status")
    assert [e.value for e in at.error] == ["A rejection needs a reason, which the victim will see."]
    at.selectbox(key=f"q_new_status_{cid}").select("in_review")
    click(at, "Change status")
    assert f"Claim {cid} is now in review." in [s.value for s in at.success]
    notes = frame(at, "note")
    assert list(notes["note"]) == ["Key found in the dump."]
    at.selectbox(key="q_status").select("verified")
    at.run()
    assert "0 of 1 claims" in [c.value for c in at.caption]
    at.selectbox(key="q_status").select("in_review")
    at.selectbox(key="q_assigned").select("Assigned to me")
    at.run()
    assert list(frame(at, "claim")["claim"]) == [cid]


def test_an_investigator_downloads_a_claim_upload_and_the_read_is_in_custody(ws: Workspace, app_for: AppFor,
                                                                           people: People) -> None:
    cid = file_claim(ws, people)
    upload = FIXTURES / "exchange_exports" / "binance_spot_trade_history_2018.csv"
    sha = uploads.attach_upload(ws, people.victim, cid, upload, original_name="Export Trade History.csv"
                               ).evidence_sha256
    at = app_for(people.investigator, "views/claims_queue.py")
    assert not at.exception
    assert list(frame(at, "sha256")["sha256"]) == [sha]
    assert not at.get("download_button")  # nothing is read until asked
    click(at, "Prepare the download")
    assert not at.exception and not at.error
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == ["Download Export Trade History.csv"]
    with ws.db.read() as con:
        last = con.execute("SELECT sha256, actor, action, details FROM custody_log ORDER BY id DESC LIMIT 1"
                           ).fetchall()[0]
    assert last[:3] == (sha, "user:3:ines", "read") and f"claim {cid} upload download" in last[3]


def test_the_sql_console_reads_and_cannot_write(ws: Workspace, app_for: AppFor, people: People) -> None:
    file_claim(ws, people)
    at = app_for(people.investigator, "views/sql_console.py")
    at.text_area(key="sql_text").input("SELECT id, exchange, status FROM claims")
    click(at, "Run")
    assert list(frame(at, "exchange")["exchange"]) == ["binance"]
    for bad, said in [("DELETE FROM claims", "read-only queries only"),
                      ("SELECT * FROM users", "cannot read the account table 'users'"),
                      ("SELECT 1; SELECT 2", "one statement at a time"),
                      ("SELECT * FROM read_csv('/etc/passwd')", "file system operations are disabled")]:
        at.text_area(key="sql_text").input(bad)
        click(at, "Run")
        assert len(at.error) == 1 and said in at.error[0].value, (bad, [e.value for e in at.error])
    with ws.db.read() as con:
        assert con.execute("SELECT count(*) FROM claims").fetchall() == [(1,)]


def test_key_lookup_finds_the_claim_that_names_a_key(ws: Workspace, app_for: AppFor, people: People) -> None:
    cid = claims.file_claim(ws, people.victim, exchange="binance", account="1", api_key="PUBLICKEY123",
                            contact_email="v@example.org")
    fp = claims.get_claim(ws, people.victim, cid).key_fingerprint
    at = app_for(people.investigator, "views/key_lookup.py")
    at.text_input(key="kl_exchange").input("Binance")
    at.text_input(key="kl_key").input("PUBLICKEY123")
    click(at, "Look up")
    assert f"Fingerprint: {fp}" in [c.value for c in at.caption]
    table = frame(at, "source")
    assert list(table["source"]) == ["claim"] and list(table["leak / claim"]) == [str(cid)]
    assert "This key is not in any imported leak." in [s.value for s in at.success]
    at.text_input(key="kl_exchange").input("")
    at.text_input(key="kl_fp").input("not-a-fingerprint")
    click(at, "Look up")
    assert [e.value for e in at.error] == [
        "A key fingerprint is 64 hexadecimal digits (the SHA-256 that keytrace shows)."]


# -- administrators -------------------------------------------------------------------------------
def test_an_admin_creates_a_staff_account(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.admin, "views/users.py")
    at.text_input(key="ua_username").input("ivo")
    at.selectbox(key="ua_role").select("legal")
    at.text_input(key="ua_password").input(PASSWORD)
    click(at, "Create account")
    assert [s.value for s in at.success] == ["Account ivo (legal) created."]
    assert "ivo" in list(frame(at, "user name")["user name"])


def test_a_victim_proves_a_wallet_and_hears_at_once_whether_it_verifies(ws: Workspace, app_for: AppFor,
                                                                        people: People) -> None:
    from eth_account import Account
    from eth_account.messages import encode_defunct

    cid = file_claim(ws, people)
    wallet = Account.from_key("0x" + "4c" * 32)
    at = app_for(people.victim, "views/my_claims.py")
    at.text_input(key="mc_address").input(wallet.address)
    click(at, "Show the message to sign")
    message = at.code[0].value
    assert f"claim {cid}" in message and wallet.address.lower() in message
    at.text_input(key="mc_signature").input("0x" + "00" * 65)
    click(at, "Verify the signature")
    assert [e.value for e in at.error] == [
        "The signature is not a valid 65-byte EIP-191 signature. Ask for a new message and sign it again."]
    click(at, "Show the message to sign")
    message = at.code[0].value
    at.text_input(key="mc_signature").input(wallet.sign_message(encode_defunct(text=message)).signature.hex())
    click(at, "Verify the signature")
    assert [s.value for s in at.success] == [
        f"The signature verifies: wallet {wallet.address.lower()} is now linked to your claim."]
    assert list(frame(at, "address")["address"]) == [wallet.address.lower()]


def test_legal_generates_and_downloads_a_claim_report(ws: Workspace, app_for: AppFor, people: People) -> None:
    cid = file_claim(ws, people)
    at = app_for(people.legal, "views/reports.py")
    assert not at.exception
    at.selectbox(key="rp_kind").select("claim_report")
    at.selectbox(key="rp_claim").select(cid)
    assert at.checkbox(key="rp_signed").value is False  # no signing certificate here: unsigned
    click(at, "Generate")
    assert not at.exception
    assert [s.value for s in at.success][0].startswith(f"claim-{cid}-report.pdf is ready (")
    table = frame(at, "kind")
    assert list(table["file"]) == [f"claim-{cid}-report.pdf"] and list(table["made by"]) == ["lena"]
    click(at, "Prepare the download")
    assert not at.error
    with ws.db.read() as con:
        actions = [r[0] for r in con.execute("SELECT action FROM custody_log ORDER BY id").fetchall()]
    assert "exported" in actions and actions[-1] == "read"


def test_single_sign_on_maps_the_provider_e_mail_to_a_staff_account(ws: Workspace, app_for: AppFor,
                                                                     people: People) -> None:
    from app import auth

    auth.create_user(ws, None, username="sso-ines", password=PASSWORD, role="investigator",
                     email="Ines@Agency.example")
    at = AppTest.from_file(str(APP_DIR / "streamlit_app.py"), default_timeout=60)
    at.secrets["auth"] = {"client_id": "keytrace", "server_metadata_url": "https://idp.example/.well-known"}
    at.run()
    assert [b.label for b in at.button if b.label == "Log in with your organisation"]
    at.user = {"is_logged_in": True, "email": "ines@agency.example"}
    at.run()
    assert not at.exception
    assert [t.value for t in at.title] == ["Incident overview"]
    at2 = AppTest.from_file(str(APP_DIR / "streamlit_app.py"), default_timeout=60)
    at2.secrets["auth"] = {"client_id": "keytrace"}
    at2.user = {"is_logged_in": True, "email": "vera@example.org"}  # a victim's address: no staff account
    at2.run()
    assert [e.value for e in at2.error] == [
        "No keytrace staff account has this e-mail address; ask an administrator to create one."]
    assert "kt_token" not in at2.session_state


def test_user_text_is_never_rendered_as_markdown_or_html(ws: Workspace, app_for: AppFor, people: People) -> None:
    evil = "[win](https://evil.example) <b>x</b> :red[alarm] $x^2$"
    cid = claims.file_claim(ws, people.victim, exchange="binance", account=evil[:100],
                            contact_email="vera@example.org", statement=evil)
    at = app_for(people.victim, "views/my_claims.py")
    caption = next(c.value for c in at.caption if "filed" in c.value)
    assert "\\[win\\]" in caption and "\\<b\\>" in caption and "\\:red\\[alarm\\]" in caption
    staff = app_for(people.investigator, "views/claims_queue.py", query={"claim": str(cid)})
    assert evil in [t.value for t in staff.text]  # the statement is shown as plain text
    assert not [m for m in staff.markdown if "](https://evil.example)" in m.value and "\\[" not in m.value]


def test_an_admin_disables_an_account_and_its_session_ends(ws: Workspace, app_for: AppFor, people: People) -> None:
    victim_app = app_for(people.victim)
    at = app_for(people.admin, "views/users.py")
    assert "adam" not in at.selectbox(key="ud_username").options  # not oneself
    at.selectbox(key="ud_username").select("vera")
    click(at, "Disable")
    assert "Account vera disabled." in [s.value for s in at.success]
    assert list(frame(at, "user name").set_index("user name").loc[["vera"], "disabled"]) == [True]
    victim_app.run()
    assert "kt_token" not in victim_app.session_state  # logged out on the next rerun
    at.selectbox(key="ud_username").select("vera")
    click(at, "Enable")
    assert "Account vera enabled." in [s.value for s in at.success]
