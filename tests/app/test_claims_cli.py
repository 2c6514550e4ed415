from __future__ import annotations

import json

import pytest

from app import auth, claims
from app.cli import main
from core.workspace import Workspace
from tests.app.conftest import People


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_claims_list_and_show(ws: Workspace, people: People, capsys: pytest.CaptureFixture[str]) -> None:
    db = str(ws.settings.db_path)
    assert run(capsys, "--db", db, "claims", "list")[1] == "No claims.\n"
    cid = claims.file_claim(ws, people.victim, exchange="kucoin", account="UID-9", contact_email="vera@example.org",
                            statement="sold into MIR", claimed_loss_usd="300000")
    claims.add_note(ws, people.investigator, cid, "internal only")
    claims.set_status(ws, people.investigator, cid, "in_review")
    code, out, _ = run(capsys, "--db", db, "claims", "list")
    assert code == 0 and out.splitlines()[1].split() == [str(cid), "in_review", "kucoin", "UID-9", "300,000.00", "-"]
    code, out, _ = run(capsys, "--db", db, "claims", "list", "--status", "verified", "--json")
    assert json.loads(out) == []
    code, out, _ = run(capsys, "--db", db, "claims", "show", str(cid), "--json")
    data = json.loads(out)
    assert (data["status"], data["contact_email"], data["claimed_loss_usd"]) == ("in_review", "vera@example.org",
                                                                                 "300000.00")
    assert [h["status"] for h in data["history"]] == ["submitted", "in_review"]
    assert [n["text"] for n in data["notes"]] == ["internal only"]
    code, _, err = run(capsys, "--db", db, "claims", "show", "99")
    assert code == 1 and err == "keytrace: there is no claim 99 that you can see\n"


def test_users_add_and_list(ws: Workspace, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    db = str(ws.settings.db_path)
    monkeypatch.setenv("KEYTRACE_NEW_PASSWORD", "a long enough password")
    code, out, _ = run(capsys, "--db", db, "users", "add", "Ines", "--role", "investigator", "--json")
    assert code == 0 and json.loads(out) == {"id": 1, "username": "ines", "role": "investigator"}
    assert auth.login(ws, "ines", "a long enough password")[0].role == "investigator"
    code, _, err = run(capsys, "--db", db, "users", "add", "ines", "--role", "admin")
    assert code == 1 and "taken" in err and err.count("\n") == 1
    monkeypatch.setenv("KEYTRACE_NEW_PASSWORD", "short")
    code, _, err = run(capsys, "--db", db, "users", "add", "lena", "--role", "legal")
    assert code == 1 and "at least 10 characters" in err
    with pytest.raises(SystemExit) as wrong:
        main(["--db", db, "users", "add", "x-user", "--role", "root"])
    assert wrong.value.code == 2
    code, out, _ = run(capsys, "--db", db, "users", "disable", "ines")
    assert code == 0 and out == "Account ines disabled.\n"
    code, out, _ = run(capsys, "--db", db, "users", "list", "--json")
    assert [(u["username"], u["disabled"]) for u in json.loads(out)] == [("ines", True)]
