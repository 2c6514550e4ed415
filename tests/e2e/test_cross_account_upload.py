"""A victim claims one UID and uploads another account's Trade History (a file without a UID): the upload is
held with a fraud signal that the investigator sees in the queue, and a detection run from the app
completes. Headless Chromium against a real `keytrace app`."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Browser, expect

from core.workspace import Workspace
from ingest.api import ingest_file
from tests.e2e.conftest import STAFF_PASSWORD, Server, keytrace
from tests.e2e.test_claim_flow import TIMEOUT, go, log_in, log_out, shot
from tests.ingest.test_reconcile_properties import ACCOUNT, pumped_run, reference_bars, trade_history

VICTIM_PASSWORD = "my own password 33"


@pytest.mark.browser
def test_another_accounts_export_is_held_and_detection_completes(server: Server, browser: Browser,
                                                                 tmp_path: object) -> None:
    # staff hold account 40001's Trade History (and reference prices); the app is running meanwhile
    export = server.db.parent / "trade_history.csv"
    export.write_text(trade_history(pumped_run()))
    ws = Workspace.open(server.db)
    reference_bars(ws)
    ingest_file(ws, export, exchange="binance", account=ACCOUNT)

    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.set_default_timeout(TIMEOUT)
    page.goto(server.url)
    page.get_by_role("link", name="Register as a victim").click()
    expect(page.get_by_role("heading", name="Register as a victim")).to_be_visible()
    page.get_by_label("User name", exact=True).fill("mallory")
    page.get_by_label("Password", exact=True).fill(VICTIM_PASSWORD)
    page.get_by_label("Password again", exact=True).fill(VICTIM_PASSWORD)
    page.get_by_role("button", name="Create my account").click()
    expect(page.get_by_role("heading", name="File a claim")).to_be_visible()
    page.get_by_label("E-mail", exact=True).fill("mallory@example.org")
    page.get_by_label("Your UID (account number) on that exchange", exact=True).fill("50002")
    page.get_by_label("The loss you believe you suffered, in US dollars", exact=True).fill("90000")
    page.get_by_role("button", name="File my claim").click()
    expect(page.get_by_text("Claim 1 filed.")).to_be_visible()

    go(page, "Follow my claims")
    page.get_by_role("tab", name="Upload exports").click()
    page.locator("input[type=file]").set_input_files(str(export))
    upload = page.get_by_role("button", name="Upload and read")
    expect(upload).to_be_enabled()
    upload.click()
    expect(page.get_by_text(re.compile(r"held for review before its rows count for this claim: the same file"))
           ).to_be_visible()
    shot(page, "cross-01-upload-held")
    log_out(page)

    log_in(page, server.url, "ines", STAFF_PASSWORD)
    expect(page.get_by_role("heading", name="Incident overview")).to_be_visible()
    go(page, "Claims queue")
    expect(page.get_by_role("heading", name="Claim 1: Submitted")).to_be_visible()
    expect(page.get_by_text(re.compile(r"UPLOAD_HELD: trade_history\.csv .* is held for review: the same file"))
           ).to_be_visible()
    expect(page.get_by_role("heading", name="Uploads held for review")).to_be_visible()
    shot(page, "cross-02-queue-fraud-signal")

    go(page, "Incident overview")
    page.get_by_role("button", name="Run detection now").click()
    expect(page.get_by_text(re.compile(r"Detection scored 7 executions: 7 unauthorised trades in 1 accounts"))
           ).to_be_visible()
    shot(page, "cross-03-detection-done")
    log_out(page)

    shown = keytrace(server.db, "claims", "show", "1", "--json").stdout
    assert '"status": "submitted"' in shown
