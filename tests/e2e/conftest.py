"""End-to-end fixtures: a real ``keytrace app`` subprocess on a free loopback port, and headless Chromium."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import Browser, sync_playwright

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "tests" / "artifacts" / "e2e"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
STAFF_PASSWORD = "investigator password 1"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def keytrace(db: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**_clean_env(), **(env or {})}
    return subprocess.run([sys.executable, "-m", "app.cli", "--db", str(db), *args], capture_output=True,
                          text=True, cwd=db.parent, env=full_env, check=True, timeout=120)


def _clean_env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KEYTRACE_")}
    env["PYTHONPATH"] = str(ROOT)
    return env


@dataclass
class Server:
    url: str
    db: Path
    process: subprocess.Popen[bytes]
    log: Path


@pytest.fixture
def server(tmp_path: Path) -> Iterator[Server]:
    """`keytrace init`, an investigator made with `keytrace users add`, then `keytrace app` on a free port."""
    db = tmp_path / "case.duckdb"
    keytrace(db, "init")
    keytrace(db, "users", "add", "ines", "--role", "investigator", env={"KEYTRACE_NEW_PASSWORD": STAFF_PASSWORD})
    port = free_port()
    log = tmp_path / "app.log"
    with log.open("wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "app.cli", "--db", str(db), "app", "--port", str(port)],
                                cwd=tmp_path, env=_clean_env(), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"keytrace app did not come up: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield Server(url, db, proc, log)
    finally:
        os.killpg(proc.pid, 15)
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, 9)
            proc.wait(timeout=5)


@pytest.fixture
def browser() -> Iterator[Browser]:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            yield b
        finally:
            b.close()
