"""Load a generated demo folder into a database through the interfaces a user has, never into tables.

Steps: exchange exports, 3Commas deal logs, reference klines and API-key records through
``ingest.api.ingest_file`` (in worker processes); meanwhile the leaked-key dump (``ingest.leaks``), chain
files (``ingest.chain.files``), address labels (``ingest.labels``), users and claims (``app.auth``,
``app.claims``: filing, the claimant's own exports attached, wallet proofs through ``ingest.ownership``);
then detection (``queries.detect``), a haircut trace from the counterparties' withdrawal addresses
(``queries.trace``) and the claims' ownership evidence levels.

Any failure, a file the pipeline refuses included (the generator and the pipeline ship together, so a
refused demo file is a defect), stops the build with its one-sentence error naming the file.
"""

from __future__ import annotations

import csv
import json
import multiprocessing
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from core.config import Settings
from core.errors import InputError, KeytraceError
from core.progress import Progress
from core.workspace import Workspace

ACTOR = "demo"
STEP_ORDER = ("exchange exports", "3Commas deal logs", "reference klines", "API-key records (apiRestrictions)",
              "leaked-key dump", "on-chain transfers", "address labels", "claims", "detection", "fund-flow trace",
              "ownership evidence")
STAFF = (("investigator", "investigator"), ("legal", "legal"), ("admin", "admin"))


@dataclass
class Step:
    name: str
    detail: str = ""
    files: int = 0
    rows: int = 0
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {"step": self.name, "detail": self.detail, "files": self.files, "rows": self.rows,
                "seconds": round(self.seconds, 2)}


@dataclass
class BuildReport:
    steps: list[Step] = field(default_factory=list)
    users: list[dict[str, str]] = field(default_factory=list)

    def step(self, name: str) -> Step:
        s = Step(name)
        self.steps.append(s)
        return s


def ingest_entry(settings: Settings, folder: Path, entry: dict[str, Any]) -> int:
    """Ingest one manifest entry through ``ingest.api.ingest_file``; returns the rows it added."""
    from ingest.api import ingest_file

    ws = Workspace(settings)
    # for a 3Commas log, exchange and account name where its bot orders went
    exchange = None if entry["load"] == "prices" else entry.get("exchange")
    extra = {"api_key": entry["api_key"]} if entry["load"] == "api_key" else {}
    result = ingest_file(ws, folder / entry["path"], exchange=exchange, account=entry.get("account"), actor=ACTOR,
                         **extra)
    return int(result.rows_added)


Outcome = tuple[int, str | None]   # rows added, error sentence


def _ingest_in_worker(job: tuple[Settings, Path, dict[str, Any]]) -> Outcome:
    """Worker-process wrapper: errors come back as their sentence (exception classes do not all pickle)."""
    try:
        return ingest_entry(*job), None
    except KeytraceError as exc:
        return 0, f"the demo file {job[2]['path']} was refused: {exc}"


class Builder:
    def __init__(self, ws: Workspace, folder: Path, *, progress: Callable[[str], None] | None = None,
                 workers: int = 2) -> None:
        self.ws = ws
        self.workers = workers
        self.show_progress = progress is not None
        self.folder = folder
        self.manifest = json.loads((folder / "manifest.json").read_text())
        self.seed = int(self.manifest["seed"])
        self.report = BuildReport()
        self.progress = progress or (lambda _msg: None)

    def files(self, load: str) -> list[dict[str, Any]]:
        return [f for f in self.manifest["files"] if f["load"] == load]

    def run(self) -> BuildReport:
        def timed(fn: Callable[[], Step]) -> None:
            started = time.monotonic()
            step = fn()
            step.seconds = time.monotonic() - started
            self.progress(f"{step.name}: done" + (f" ({step.detail})" if step.detail else ""))

        def independent() -> None:
            for fn in (self.leaks, self.chain, self.labels, self.claims):
                timed(fn)

        self.ingest_pipeline(meanwhile=independent)
        for step in self.report.steps[:4]:
            self.progress(f"{step.name}: done" + (f" ({step.detail})" if step.detail else ""))
        for fn in (self.detect, self.trace, self.ownership):   # these read what everything before loaded
            timed(fn)
        self.report.steps.sort(key=lambda s: STEP_ORDER.index(s.name) if s.name in STEP_ORDER else len(STEP_ORDER))
        return self.report

    # ------------------------------------------------------------------------------ ingest pipeline
    def ingest_pipeline(self, meanwhile: Callable[[], None] | None = None) -> None:
        """Exchange exports, 3Commas logs, klines and API-key records, all through ``ingest_file``.

        The files go to worker processes: staging happens outside the write lock, so one file stages
        while another merges, and ``meanwhile`` (the steps that do not need these files: dump, chain,
        labels, claims) runs here at the same time. A refused file stops the build, naming it.
        """
        groups = (("exchange exports", "ingest"), ("3Commas deal logs", "bot_log"), ("reference klines", "prices"),
                  ("API-key records (apiRestrictions)", "api_key"))
        steps = {load: self.report.step(name) for name, load in groups}
        started = time.monotonic()
        entries = [e for _, load in groups for e in self.files(load)]
        jobs = [(self.ws.settings, self.folder, e) for e in entries]
        if self.workers > 1 and len(jobs) > 8:
            ctx = multiprocessing.get_context("spawn")   # no fork of a process that has used DuckDB
            with ProcessPoolExecutor(max_workers=self.workers, mp_context=ctx) as pool:
                outcomes = pool.map(_ingest_in_worker, jobs, chunksize=4)   # submits every job now
                if meanwhile:
                    meanwhile()
                with Progress("loading files", total=len(jobs), enabled=self.show_progress) as bar:
                    self._tally(steps, entries, outcomes, bar)
        else:
            if meanwhile:
                meanwhile()
            with Progress("loading files", total=len(jobs), enabled=self.show_progress) as bar:
                self._tally(steps, entries, map(_ingest_in_worker, jobs), bar)
        for step in steps.values():
            step.seconds = time.monotonic() - started   # the four run together
            step.detail = "(timed together: loaded in parallel)"

    @staticmethod
    def _tally(steps: dict[str, Step], entries: list[dict[str, Any]], outcomes: Iterable[Outcome],
               bar: Progress) -> None:
        for entry, (added, error) in zip(entries, outcomes, strict=True):
            bar.advance()
            if error is not None:
                raise InputError(error)
            steps[entry["load"]].files += 1
            steps[entry["load"]].rows += added

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
        from ingest.chain import files

        step = self.report.step("on-chain transfers")
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
        from ingest import labels

        step = self.report.step("address labels")
        for entry in self.files("labels"):
            result = labels.import_labels(self.ws, self.folder / entry["path"], actor=ACTOR)
            step.files += 1
            step.rows += result.added
        return step

    # ------------------------------------------------------------------------------ people and claims
    def claims(self) -> Step:
        from app import auth, claims
        from app import uploads as portal

        step = self.report.step("claims")
        from incident_demo.claims import password_for

        for username, role in STAFF:
            password = password_for(self.seed, username)
            auth.create_user(self.ws, None, username=username, password=password, role=role)
            self.report.users.append({"username": username, "role": role, "password": password})
        doc = json.loads((self.folder / self.files("claims")[0]["path"]).read_text())
        proved = uploads = 0
        for c in doc["claims"]:
            user = auth.register_victim(self.ws, username=c["username"], password=c["password"],
                                        name=c["contact_name"], email=c["contact_email"])
            claim_id = claims.file_claim(
                self.ws, user, exchange=c["exchange"], account=c["account"], api_key=c["api_key"],
                contact_name=c["contact_name"], contact_email=c["contact_email"],
                contact_phone=c["contact_phone"], statement=c["statement"],
                claimed_loss_usd=c["claimed_loss_usd"])
            step.rows += 1
            for rel in c.get("uploads", []):   # the victim's own export, through the claim portal's path
                portal.attach_upload(self.ws, user, claim_id, self.folder / rel)
                uploads += 1
            if c["signs_wallet"] and c["wallet_address"]:
                self._prove_wallet(user, claim_id, c)
                proved += 1
        step.files = 1
        step.detail = f"{step.rows} claims filed, {uploads} exports attached, wallets proved by signature: {proved}"
        return step

    def _prove_wallet(self, user: Any, claim_id: int, c: dict[str, Any]) -> None:
        from eth_account import Account as EthAccount
        from eth_account.messages import encode_defunct

        from app import claims
        from incident_demo.world import wallet_key

        challenge = claims.wallet_challenge(self.ws, user, claim_id, c["wallet_address"])
        message, nonce = challenge.message, challenge.nonce
        key = wallet_key(self.seed, c["exchange"], c["account"])
        signed = EthAccount.sign_message(encode_defunct(text=message), private_key=key)
        claims.verify_wallet(self.ws, user, claim_id, nonce, "0x" + bytes(signed.signature).hex().removeprefix("0x"))

    # ------------------------------------------------------------------------------ detection
    def detect(self) -> Step:
        from queries.detect import detect

        step = self.report.step("detection")
        summary = detect(self.ws, actor=ACTOR)
        step.rows = summary.unauthorized
        step.detail = (f"{summary.trades_scored} executions scored, {summary.unauthorized} unauthorised in "
                       f"{summary.accounts} accounts, {summary.campaigns} campaigns")
        return step

    # ------------------------------------------------------------------------------ ownership
    def ownership(self) -> Step:
        from ingest import ownership

        step = self.report.step("ownership evidence")
        with self.ws.db.read() as con:
            ids = [int(r[0]) for r in con.execute("SELECT id FROM claims ORDER BY id").fetchall()]
        levels = [ownership.evidence_level(self.ws, i).level for i in ids]
        step.rows = len(levels)
        step.detail = "claims per evidence level: " + ", ".join(
            f"{lv}: {levels.count(lv)}" for lv in sorted(set(levels), reverse=True))
        return step

    # ------------------------------------------------------------------------------ tracing
    def trace(self) -> Step:
        from queries import trace as tracing

        step = self.report.step("fund-flow trace")
        seeds: list[str] = []
        for entry in self.files("trace_seeds"):
            with (self.folder / entry["path"]).open(newline="") as fh:
                seeds += [row["address"] for row in csv.DictReader(fh)]
        result = tracing.trace(self.ws, seeds, "haircut", hops=5, direction="forward", actor=ACTOR)
        step.files = len(self.files("trace_seeds"))
        step.rows = len(result.edges)
        step.detail = f"haircut, 5 hops from {len(seeds)} seeds: {len(result.cash_out_points)} cash-out points"
        return step


def build(ws: Workspace, folder: Path, *, progress: Callable[[str], None] | None = None,
          workers: int = 2) -> BuildReport:
    """Load the generated demo in ``folder`` into ``ws`` (already initialised)."""
    return Builder(ws, folder, progress=progress, workers=workers).run()
