"""A victim registers, files a claim with an upload and a wallet signature; an investigator verifies it;
the victim sees the new status. Headless Chromium against a real `keytrace app`."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from eth_account import Account
from eth_account.messages import encode_defunct
from playwright.sync_api import Browser, Page, expect

from tests.conftest import FIXTURES
from tests.e2e.conftest import ARTIFACTS, STAFF_PASSWORD, Server, keytrace

VICTIM_PASSWORD = "my own password 22"
WALLET = Account.from_key("0x" + "4c" * 32)
EXPORT = FIXTURES / "exchange_exports" / "binance_spot_trade_history_2018.csv"
TIMEOUT = 60_000


def shot(page: Page, name: str) -> None:
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def go(page: Page, link: str) -> None:
    """Follow a menu link (client-side, so the session stays logged in)."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=link).click()
    expect(page.get_by_role("heading", name=link, exact=True)).to_be_visible(timeout=TIMEOUT)


def choose(page: Page, label: str, option: str) -> None:
    box = page.get_by_label(label, exact=True)
    box.click()
    box.fill(option)
    box.press("Enter")


def log_in(page: Page, url: str, username: str, password: str) -> None:
    page.goto(url)
    page.get_by_label("User name", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Log in").click()


def log_out(page: Page) -> None:
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("button", name="Log in")).to_be_visible(timeout=TIMEOUT)


@pytest.mark.browser
def test_victim_claim_is_verified_by_an_investigator(server: Server, browser: Browser) -> None:
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)

    # -- the victim registers -----------------------------------------------------------------
    page.goto(server.url)
    page.get_by_role("link", name="Register as a victim").click()
    # the log-in page has a "User name" field too: wait for the switch before typing
    expect(page.get_by_role("heading", name="Register as a victim")).to_be_visible()
    page.get_by_label("User name", exact=True).fill("vera")
    page.get_by_label("Password", exact=True).fill(VICTIM_PASSWORD)
    page.get_by_label("Password again", exact=True).fill(VICTIM_PASSWORD)
    page.get_by_label("E-mail (optional)", exact=True).fill("vera@example.org")
    shot(page, "01-register")
    page.get_by_role("button", name="Create my account").click()

    # -- files a claim ------------------------------------------------------------------------
    expect(page.get_by_role("heading", name="File a claim")).to_be_visible()
    page.get_by_label("Your name", exact=True).fill("Vera Victim")
    page.get_by_label("E-mail", exact=True).fill("vera@example.org")
    page.get_by_label("Your UID (account number) on that exchange", exact=True).fill("38811234")
    page.get_by_label("The API key you gave 3Commas: its public part only (optional)",
                      exact=True).fill("vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A")
    page.get_by_label("What happened?", exact=True).fill("On Dec 25 at 22:29 my BTC was sold and AKRO bought, 4,200 orders.")
    page.get_by_label("The loss you believe you suffered, in US dollars", exact=True).fill("312000")
    page.get_by_role("button", name="File my claim").click()
    expect(page.get_by_text("Claim 1 filed.")).to_be_visible()
    shot(page, "02-claim-filed")

    # -- uploads an export through the real ingest path ---------------------------------------
    go(page, "Follow my claims")
    page.get_by_role("tab", name="Upload exports").click()
    page.locator("input[type=file]").set_input_files(str(EXPORT))
    upload = page.get_by_role("button", name="Upload and read")
    expect(upload).to_be_enabled()
    upload.click()
    expect(page.get_by_text(re.compile(r"read 8 rows, 8 new, 0 already known"))).to_be_visible()
    shot(page, "03-upload")

    # -- proves a wallet by signature ---------------------------------------------------------
    page.get_by_role("tab", name="Prove a wallet").click()
    page.get_by_label("Wallet address (0x...)", exact=True).fill(WALLET.address)
    page.get_by_role("button", name="Show the message to sign").click()
    code = page.locator("code").filter(has_text="keytrace ownership proof")
    expect(code).to_be_visible()
    message = code.inner_text().strip()
    signature = WALLET.sign_message(encode_defunct(text=message)).signature.hex()
    page.get_by_label("Paste the signature (0x...)", exact=True).fill(signature)
    page.get_by_role("button", name="Verify the signature").click()
    expect(page.get_by_text(f"The signature verifies: wallet {WALLET.address.lower()}")).to_be_visible()
    expect(code).to_be_hidden()  # the rerun has finished: a challenge works once
    shot(page, "04-wallet-proven")
    log_out(page)

    # -- an investigator finds the claim and verifies it --------------------------------------
    log_in(page, server.url, "ines", STAFF_PASSWORD)
    expect(page.get_by_role("heading", name="Incident overview")).to_be_visible()
    shot(page, "05-overview")
    go(page, "Claims queue")
    page.get_by_label("Claim number or UID", exact=True).fill("38811234")
    page.get_by_label("Claim number or UID", exact=True).press("Enter")
    expect(page.get_by_text("1 of 1 claims")).to_be_visible()
    expect(page.get_by_role("heading", name="Claim 1: Submitted")).to_be_visible()
    expect(page.get_by_text("vera@example.org").first).to_be_visible()
    shot(page, "06-queue")
    for status, label in (("In review", "in review"), ("Verified", "verified")):
        choose(page, "New status", status)
        page.get_by_role("button", name="Change status").click()
        expect(page.get_by_text(f"Claim 1 is now {label}.")).to_be_visible()
    expect(page.get_by_role("heading", name="Claim 1: Verified")).to_be_visible()
    shot(page, "07-verified")
    # the victim's export, downloaded as uploaded (re-hashed by the app, the read in the custody log)
    page.get_by_role("button", name="Prepare the download").click()
    with page.expect_download() as download:
        page.get_by_role("button", name=f"Download {EXPORT.name}").click()
    assert Path(download.value.path()).read_bytes() == EXPORT.read_bytes()
    assert download.value.suggested_filename == EXPORT.name
    log_out(page)

    # -- the victim sees the new status -------------------------------------------------------
    log_in(page, server.url, "vera", VICTIM_PASSWORD)
    go(page, "Follow my claims")
    expect(page.get_by_test_id("stMetricValue").filter(has_text="Verified")).to_be_visible()
    shot(page, "08-victim-sees-verified")

    shown = keytrace(server.db, "claims", "show", "1", "--json").stdout
    assert '"status": "verified"' in shown and WALLET.address.lower() in shown
    assert '"name": "binance_spot_trade_history_2018.csv"' in shown
