"""Logs and errors never carry a secret or an RPC key: every log record (DEBUG and up, every logger)
and the stdout/stderr of CLI runs given secrets, keyed RPC URLs and wrong keys are searched for them."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from app import auth
from app.cli import main
from core.errors import KeytraceError
from core.workspace import Workspace
from tests.security.conftest import PASSWORD, Report, victim

ROOT = Path(__file__).resolve().parents[2]
RPC_SECRET = "9f3c1e7ab2d04c55a8e6f1b2c3d4e5f6"
RPC_PASSWORD = "hunter2-rpc-password"
DUMP_SECRETS = ["Qm9ndXNTZWNyZXRWYWx1ZTAwMDAwMDAwMDAwMDAwMDE", "passphrase-of-the-victim-42",
                "Zx8fK2pQ9vLm3nR7tY1uW4oE6aS5dF0gHjK"]


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens once the socket is closed


def _rpc_urls() -> list[str]:
    port = _closed_port()
    return [f"http://user:{RPC_PASSWORD}@127.0.0.1:{port}/v3/{RPC_SECRET}",
            f"http://127.0.0.1:{port}/v2/{RPC_SECRET}?apikey={RPC_SECRET}",
            f"http://127.0.0.1:{port}/rpc?key={RPC_SECRET}&token={RPC_PASSWORD}"]


def _assert_clean(text: str, where: str) -> None:
    for secret in (RPC_SECRET, RPC_PASSWORD, *DUMP_SECRETS, PASSWORD):
        assert secret not in text, f"{where} shows a secret: {text[:300]!r}"


@pytest.fixture
def all_logs(caplog: pytest.LogCaptureFixture) -> pytest.LogCaptureFixture:
    caplog.set_level(logging.DEBUG)  # the root logger and so every library's logger, urllib3 and web3 included
    return caplog


def _dump(tmp_path: Path) -> Path:
    path = tmp_path / "dump.csv"
    path.write_text("exchange,api_key,secret,passphrase\n"
                    f"binance,AKIAPUBLICKEY000000000000000001,{DUMP_SECRETS[0]},\n"
                    f"kucoin,5f1e2d3c4b5a69788796a5b4,{DUMP_SECRETS[2]},{DUMP_SECRETS[1]}\n"
                    f"nosuchexchange,,{DUMP_SECRETS[0]},{DUMP_SECRETS[1]}\n")
    return path


def test_in_process_logs_and_errors_carry_no_secret(ws: Workspace, tmp_path: Path, all_logs: pytest.LogCaptureFixture,
                                                   capsys: pytest.CaptureFixture[str], report: Report) -> None:
    db = str(ws.settings.db_path)
    runs = 0
    for url in _rpc_urls():
        status = main(["--db", db, "chain", "pull", "--rpc", url, "--address", "0x" + "11" * 20, "--from-block", "0",
                       "--to-block", "5", "--retries", "1", "--timeout", "1"])
        out = capsys.readouterr()
        assert status == 1 and out.err.startswith("keytrace: ")
        _assert_clean(out.out + out.err, "chain pull output")
        runs += 1
    status = main(["--db", db, "leaks", "import", str(_dump(tmp_path)), "--json"])
    out = capsys.readouterr()
    _assert_clean(out.out + out.err, "leaks import output")
    runs += 1
    with pytest.raises(KeytraceError) as info:
        auth.login(ws, "nobody", PASSWORD)
    _assert_clean(str(info.value), "login error")
    victim(ws, "vera")
    with pytest.raises(KeytraceError) as info:
        auth.login(ws, "vera", PASSWORD + "x")
    _assert_clean(str(info.value), "login error")
    records = [r.getMessage() + repr(r.args) for r in all_logs.records]
    for text in records:
        _assert_clean(text, "a log record")
    report(f"secrets in logs: {runs} CLI runs with keyed RPC URLs and a dump of secrets, 2 failed log-ins; "
           f"{len(records)} log records at DEBUG and all output searched, 0 secrets found")


def test_cli_subprocess_stderr_carries_no_secret(ws: Workspace, tmp_path: Path, report: Report) -> None:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KEYTRACE_CONFIG=str(tmp_path / "none.toml"))
    (tmp_path / "none.toml").write_text("")
    db = str(ws.settings.db_path)
    runs: list[tuple[list[str], dict[str, str]]] = [
        (["chain", "pull", "--rpc", url, "--address", "0x" + "11" * 20, "--from-block", "0", "--to-block", "5",
          "--retries", "1", "--timeout", "1"], {}) for url in _rpc_urls()[:1]]
    runs.append((["leaks", "import", str(_dump(tmp_path))], {}))
    # a wrong master key in the environment: the error names the problem, never the value
    runs.append((["claims", "list"], {"KEYTRACE_SECRET_KEY": RPC_SECRET + "not-a-valid-key"}))
    for argv, extra in runs:
        done = subprocess.run([sys.executable, "-m", "app.cli", "--db", db, *argv], env={**env, **extra},
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)
        assert "Traceback" not in done.stderr, done.stderr
        _assert_clean(done.stdout + done.stderr, f"keytrace {argv[0]}")
    report(f"secrets on stderr: {len(runs)} keytrace subprocesses given keyed RPC URLs, a dump of secrets and a "
           "bad master key; 0 secrets and 0 tracebacks on stdout or stderr")
