"""Load a generated demo folder into a database through the interfaces a user has, never into tables.

Steps, in order: exchange exports (``ingest.api.ingest_file``), 3Commas deal logs and reference klines
(the same ingest pipeline), API-key records, the leaked-key dump (``ingest.leaks.import_dump``), chain
files and address labels (``ingest.chain``), users and claims (``app.auth``, ``app.claims``), wallet
proofs (``queries.ownership`` through the claim workflow) and detection (``queries.detect``).

A step whose interface is not in this installation yet is reported as "not built yet" with the missing
piece named; it is found by importing the module or by the ingest pipeline refusing the file format,
never faked. Every other failure stops the build with its one-sentence error.
"""

from __future__ import annotations

import importlib
import inspect
import json
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.errors import UnknownFormatError
from core.workspace import Workspace

ACTOR = "demo"
STAFF = (("investigator", "investigator"), ("legal", "legal"), ("admin", "admin"))


@dataclass
class Step:
    name: str
    status: str = "done"          # done | not built yet | partly built
    detail: str = ""
    files: int = 0
    rows: int = 0
    seconds: float = 0.0
    missing: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.name, "status": self.status, "detail": self.detail, "files": self.files,
                "rows": self.rows, "seconds": round(self.seconds, 2), "missing": self.missing}


@dataclass
class BuildReport:
    steps: list[Step] = field(default_factory=list)
    users: list[dict[str, str]] = field(default_factory=list)

    def step(self, name: str) -> Step:
        s = Step(name)
        self.steps.append(s)
        return s

    @property
    def not_built(self) -> list[Step]:
        return [s for s in self.steps if s.status != "done"]


def _module(name: str) -> Any | None:
    """Import ``name`` if this installation has it; None when the module itself does not exist."""
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError as exc:
        if exc.name and (name == exc.name or name.startswith(exc.name + ".")):
            return None
        raise


class Builder:
    def __init__(self, ws: Workspace, folder: Path, *, progress: Callable[[str], None] | None = None,
                 workers: int = 2) -> None:
        self.ws = ws
        self.workers = workers
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text())
        self.seed = int(self.manifest["seed"])
        self.report = BuildReport()
        self.progress = progress or (lambda _msg: None)

    def files(self, load: str) -> list[dict[str, Any]]:
        return [f for f in self.manifest["files"] if f["load"] == load]

    def run(self) -> BuildReport:
        for fn in (self.exchange_exports, self.bot_logs, self.prices, self.api_keys, self.leaks, self.chain,
                   self.labels, self.claims, self.detect):
            started = time.monotonic()
            step = fn()
            step.seconds = time.monotonic() - started
            self.progress(f"{step.name}: {step.status}" + (f" ({step.detail})" if step.detail else ""))
        return self.report

    # ------------------------------------------------------------------------------ ingest pipeline
    def _ingest_one(self, entry: dict[str, Any]) -> int:
        from ingest.api import ingest_file

        ws = Workspace(self.ws.settings, lock_timeout=self.ws.lock_timeout)  # one per thread
        # a 3Commas log is the bot platform's file: its exchange account is given, not its exchange
        exchange = None if entry["load"] == "bot_log" else entry.get("exchange")
        result = ingest_file(ws, self.folder / entry["path"], exchange=exchange, account=entry.get("account"),
                             actor=ACTOR)
        return int(result.rows_added)

    def _ingest_group(self, step: Step, entries: list[dict[str, Any]]) -> Step:
        """Ingest files through ``ingest_file``; the first file of each format probes whether it is known."""
        refused: dict[str, str] = {}
        rest: list[dict[str, Any]] = []
        probed: set[str] = set()
        for entry in entries:
            fmt = entry["format"]
            if fmt in probed:
                rest.append(entry)
                continue
            probed.add(fmt)
            try:
                step.rows += self._ingest_one(entry)
                step.files += 1
            except UnknownFormatError as exc:
                refused[fmt] = str(exc)
        rest = [e for e in rest if e["format"] not in refused]
        # staging runs outside the write lock, so two workers overlap one file's staging with another's merge
        with ThreadPoolExecutor(max_workers=self.workers) as pool:
            for added in pool.map(self._ingest_one, rest):
                step.rows += added
                step.files += 1
        if refused:
            step.missing = sorted(refused)
            step.status = "not built yet" if step.files == 0 else "partly built"
            step.detail = "the ingest pipeline does not read these formats yet: " + ", ".join(sorted(refused))
        return step

    def exchange_exports(self) -> Step:
        step = self.report.step("exchange exports")
        return self._ingest_group(step, self.files("ingest"))

    def bot_logs(self) -> Step:
        step = self.report.step("3Commas deal logs")
        return self._ingest_group(step, self.files("bot_log"))

    def prices(self) -> Step:
        step = self.report.step("reference klines")
        return self._ingest_group(step, self.files("prices"))

    # ------------------------------------------------------------------------------ API keys of accounts
    def api_keys(self) -> Step:
        step = self.report.step("API-key records (apiRestrictions)")
        from ingest.api import ingest_file

        if "api_key" not in inspect.signature(ingest_file).parameters:
            step.status = "not built yet"
            step.missing = ["ingest_file(api_key=...) for Binance apiRestrictions records"]
            step.detail = "the ingest pipeline cannot link an API-key record to its key yet"
            return step
        for entry in self.files("api_key"):
            try:
                result = ingest_file(self.ws, self.folder / entry["path"], exchange=entry["exchange"],
                                     account=entry["account"], api_key=entry["api_key"], actor=ACTOR)
            except UnknownFormatError as exc:
                step.status = "not built yet"
                step.missing = ["binance_api_restrictions format"]
                step.detail = str(exc)
                return step
            step.files += 1
            step.rows += result.rows_added
        return step

    # ------------------------------------------------------------------------------ leaks
    def leaks(self) -> Step:
        step = self.report.step("leaked-key dump")
        from ingest.leaks import import_dump

        for entry in self.files("leaks"):
            result = import_dump(self.ws, self.folder / entry["path"], actor=ACTOR, source=entry["source"],
                                 leak_date=date.fromisoformat(entry["leak_date"]))
            step.files += 1
            step.rows += result.key_count
        return step

    # ------------------------------------------------------------------------------ chain
    def chain(self) -> Step:
        step = self.report.step("on-chain transfers")
        files = _module("ingest.chain.files")
        if files is None or not callable(getattr(files, "import_file", None)):
            step.status = "not built yet"
            step.missing = ["ingest.chain.files.import_file (ethereum-etl token_transfers + blocks)"]
            step.detail = "the chain file import is not in this installation yet"
            return step
        # blocks first: the token-transfer CSV carries block numbers, the blocks file their times
        blocks = 0
        for entry in self.files("chain_blocks") + self.files("chain"):
            result = files.import_file(self.ws, self.folder / entry["path"], chain_id=1, actor=ACTOR)
            step.files += 1
            step.rows += result.rows_added
            blocks += result.blocks_added
        step.detail = f"{blocks} blocks"
        return step

    def labels(self) -> Step:
        step = self.report.step("address labels")
        labels = _module("queries.labels")
        if labels is None or not callable(getattr(labels, "import_labels", None)):
            step.status = "not built yet"
            step.missing = ["queries.labels.import_labels"]
            step.detail = "the address-label import is not in this installation yet"
            return step
        for entry in self.files("labels"):
            result = labels.import_labels(self.ws, self.folder / entry["path"], actor=ACTOR)
            step.files += 1
            step.rows += result.added
        return step

    # ------------------------------------------------------------------------------ people and claims
    def claims(self) -> Step:
        step = self.report.step("claims")
        auth, claims = _module("app.auth"), _module("app.claims")
        if auth is None or claims is None:
            step.status = "not built yet"
            step.missing = [m for m, mod in (("app.auth", auth), ("app.claims", claims)) if mod is None]
            step.detail = "the claim workflow is not in this installation yet"
            return step
        from app.demo.claims import password_for

        for username, role in STAFF:
            password = password_for(self.seed, username)
            auth.create_user(self.ws, None, username=username, password=password, role=role)
            self.report.users.append({"username": username, "role": role, "password": password})
        doc = json.loads((self.folder / self.files("claims")[0]["path"]).read_text())
        ownership = _module("queries.ownership")
        proofs_missing = False
        proved = 0
        for c in doc["claims"]:
            user = auth.register_victim(self.ws, username=c["username"], password=c["password"],
                                        name=c["contact_name"], email=c["contact_email"])
            claim_id = claims.file_claim(
                self.ws, user, exchange=c["exchange"], account=c["account"], api_key=c["api_key"],
                contact_name=c["contact_name"], contact_email=c["contact_email"],
                contact_phone=c["contact_phone"], statement=c["statement"],
                claimed_loss_usd=c["claimed_loss_usd"])
            step.rows += 1
            if c["signs_wallet"] and c["wallet_address"]:
                if ownership is None:
                    proofs_missing = True
                    continue
                self._prove_wallet(claims, user, claim_id, c)
                proved += 1
        step.files = 1
        step.detail = f"{step.rows} claims filed, {proved} wallets proved by signature"
        if proofs_missing:
            step.status = "partly built"
            step.missing = ["queries.ownership (wallet challenges and EIP-191 signature checks)"]
            step.detail += "; wallet proofs not built yet (queries.ownership is missing)"
        return step

    def _prove_wallet(self, claims: Any, user: Any, claim_id: int, c: dict[str, Any]) -> None:
        from eth_account import Account as EthAccount
        from eth_account.messages import encode_defunct

        from app.demo.world import wallet_key

        challenge = claims.wallet_challenge(self.ws, user, claim_id, c["wallet_address"])
        message = challenge["message"] if isinstance(challenge, dict) else challenge.message
        nonce = challenge["nonce"] if isinstance(challenge, dict) else challenge.nonce
        key = wallet_key(self.seed, c["exchange"], c["account"])
        signed = EthAccount.sign_message(encode_defunct(text=message), private_key=key)
        claims.verify_wallet(self.ws, user, claim_id, nonce, "0x" + bytes(signed.signature).hex().removeprefix("0x"))

    # ------------------------------------------------------------------------------ detection
    def detect(self) -> Step:
        step = self.report.step("detection")
        detect = _module("queries.detect")
        if detect is None or not callable(getattr(detect, "detect", None)):
            step.status = "not built yet"
            step.missing = ["queries.detect"]
            step.detail = "detection is not in this installation yet"
            return step
        summary = detect.detect(self.ws, actor=ACTOR)
        data = summary.as_dict() if hasattr(summary, "as_dict") else {}
        step.rows = int(data.get("unauthorized_trades", data.get("findings", 0)) or 0)
        step.detail = ", ".join(f"{k} {v}" for k, v in sorted(data.items()) if isinstance(v, int))[:300]
        return step


def build(ws: Workspace, folder: Path, *, progress: Callable[[str], None] | None = None,
          workers: int = 2) -> BuildReport:
    """Load the generated demo in ``folder`` into ``ws`` (already initialised)."""
    return Builder(ws, folder, progress=progress, workers=workers).run()
