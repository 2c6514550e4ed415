"""Key lookup: what an investigator is told for each way of asking."""

from __future__ import annotations

from core.fingerprint import api_key_fingerprint
from core.workspace import Workspace
from tests.app.conftest import AppFor, People
from tests.app.test_pages import click

API_KEY = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"


def test_an_empty_lookup_says_what_to_give(ws: Workspace, app_for: AppFor, people: People) -> None:
    at = app_for(people.investigator, "views/key_lookup.py")
    click(at, "Look up")
    assert [w.value for w in at.warning] == ["Give a key fingerprint, or an exchange and the API key's public part."]
    assert not at.error and not at.exception


def test_a_key_without_its_exchange_is_asked_for_the_exchange(ws: Workspace, app_for: AppFor,
                                                             people: People) -> None:
    at = app_for(people.investigator, "views/key_lookup.py")
    at.text_input(key="kl_key").input(API_KEY)
    click(at, "Look up")
    assert [w.value for w in at.warning] == [
        "Give the exchange the API key belongs to: the fingerprint is made from both."]


def test_a_key_and_its_exchange_are_fingerprinted_and_looked_up(ws: Workspace, app_for: AppFor,
                                                               people: People) -> None:
    fp = api_key_fingerprint("binance", API_KEY)
    with ws.db.write() as con:
        con.execute("INSERT INTO leaks VALUES ('L1', 'pastebin 2022-12-28', '2022-12-28', now(), 1)")
        con.execute("INSERT INTO leaked_keys VALUES (?, 'binance', 'L1', 7)", [fp])
    at = app_for(people.investigator, "views/key_lookup.py")
    at.text_input(key="kl_exchange").input("Binance")
    at.text_input(key="kl_key").input(API_KEY)
    click(at, "Look up")
    assert f"Fingerprint: {fp}" in [c.value for c in at.caption]
    assert [e.value for e in at.error] == ["This key is in 1 leaked dump."]
