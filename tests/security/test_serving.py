"""How `keytrace app` serves: local address only, upload limit, no traceback in the browser, XSRF kept on."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from app.commands import serve
from app.uploads import MAX_UPLOAD_BYTES


def test_the_app_is_served_locally_without_error_details(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(subprocess, "call", lambda cmd, env=None: seen.append(list(cmd)) or 0)
    assert serve.serve(tmp_path / "case.duckdb", 8599) == 0
    cmd = seen[0]
    opts = dict(zip(cmd[::1], cmd[1::1], strict=False))
    assert opts["--server.address"] == "127.0.0.1"
    assert opts["--client.showErrorDetails"] == "none"
    assert int(opts["--server.maxUploadSize"]) * 1024 * 1024 == MAX_UPLOAD_BYTES
    assert opts["--global.developmentMode"] == "false"
    for weakening in ("--server.enableXsrfProtection", "--server.enableCORS"):
        assert weakening not in cmd, f"{weakening} must keep Streamlit's safe default"
