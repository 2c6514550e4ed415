"""``ingest_file``: the one call that brings an exchange export into keytrace.

The command line, the demo generator and the claim portal all call :func:`ingest_file`; keep its
name and signature. It sniffs the format, stages and validates the file outside the write lock, then
stores the evidence and merges the rows in one short transaction (see :mod:`ingest.load`).
"""

from __future__ import annotations

import os
import re
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from core.db import utcnow
from core.errors import AccountMismatch, InputError, Problem, UsageError
from core.evidence import safe_name, seal_in_advance, sha256_file
from core.fingerprint import api_key_fingerprint
from core.workspace import Workspace
from ingest import load
from ingest.convert import prepare
from ingest.formats.base import Options, registry, spec_named
from ingest.sniff import (
    DELIMITERS,
    check_number_format,
    check_regular_file,
    decode_head,
    detect_resave,
    is_xlsx,
    read_head,
    sniff_text,
)


@dataclass(frozen=True)
class IngestResult:
    run_id: str
    format: str
    evidence_sha256: str
    exchange: str
    account: str
    rows_read: int                         # the file's data rows (header and preamble excluded)
    rows_added: int
    rows_rejected: int
    source_name: str
    kind: str                              # trades | orders | ledger_movements | price_bars | ...
    evidence_is_new: bool
    flagged: tuple[Problem, ...] = ()      # rows with formula-like text, stored inert
    flagged_count: int = 0
    parts: tuple[str, ...] = ()            # the formats that read the file (the format and its companions)
    # the canonical rows the file made, over all parts: fewer than rows_read when a format leaves rows out
    # (a failed conversion, a deposit in a trades format), more when it splits one (a trade's two legs)
    rows_staged: int | None = None
    notices: tuple[str, ...] = ()          # how the file was read when that was not said (a spreadsheet re-save)

    @property
    def rows_already_known(self) -> int:
        """Canonical rows the account already had (the staged rows neither added nor rejected)."""
        staged = self.rows_read if self.rows_staged is None else self.rows_staged
        return max(staged - self.rows_rejected - self.rows_added, 0)

    def as_dict(self) -> dict[str, object]:
        return {
            "run_id": self.run_id, "format": self.format, "evidence_sha256": self.evidence_sha256,
            "exchange": self.exchange, "account": self.account, "rows_read": self.rows_read,
            "rows_added": self.rows_added, "rows_rejected": self.rows_rejected,
            "rows_already_known": self.rows_already_known, "rows_staged": self.rows_staged,
            "notices": list(self.notices),
            "source_name": self.source_name,
            "kind": self.kind, "evidence_is_new": self.evidence_is_new,
            "formula_like_rows": self.flagged_count,
            "formula_like": [p.sentence() for p in self.flagged],
            "parts": list(self.parts),
        }


def ingest_file(ws: Workspace, path: Path | str, *, exchange: str | None = None, account: str | None = None,
                actor: str = "cli", skip_bad_rows: bool = False, dayfirst: bool = False,
                claim_id: int | None = None, case_id: str | None = None,
                progress: load.ProgressFn | None = None, original_name: str | None = None,
                api_key: str | None = None, delimiter: str | None = None,
                decimal_comma: bool = False, screen: load.ScreenFn | None = None) -> IngestResult:
    """Ingest one export file; raises an InputError subclass (database unchanged) when it cannot.

    ``delimiter`` and ``decimal_comma`` say how a spreadsheet re-saved the file (``;`` and ``1.234,56``, a
    European re-save). When neither is given and the file's head shows both unambiguously
    (:func:`ingest.sniff.detect_resave`), it is read so and the result's ``notices`` say how; when it
    does not, the file is refused naming the flags. ``delimiter=","`` reads commas only.

    ``api_key`` names the key an API-key record (Binance apiRestrictions) describes; it is reduced to
    its :func:`core.fingerprint.api_key_fingerprint` at once and never stored.

    A file without a UID that is already the evidence of another account is refused
    (:class:`core.errors.EvidenceOfAnotherAccount`): one file cannot be two accounts' evidence. With
    ``screen`` (a claimant's upload, :func:`app.claims.attach_upload`) that check is the screen's instead:
    it runs on the merged, uncommitted rows, and any signal it returns rolls the merge back and raises
    :class:`core.errors.Quarantined`.
    """
    path = Path(path)
    name = safe_name(original_name or path.name)
    if delimiter is not None and delimiter not in DELIMITERS:
        raise UsageError(f"--delimiter must be one of {', '.join(repr(d) for d in DELIMITERS)}, not {delimiter!r}")
    if decimal_comma and delimiter in (None, ","):
        raise UsageError("--decimal-comma needs --delimiter: a comma-separated file cannot write decimal commas "
                         "unquoted")
    started = utcnow()
    check_regular_file(path, name)
    before = _fingerprint(path)
    data = read_head(path)
    cancel = threading.Event()
    sealing: Future[tuple[tuple[str, int], Path | None]] | None = None
    try:
        # the pool's exit waits for the sealing thread before the staging folder goes
        with load.staging_dir() as workdir, ThreadPoolExecutor(1, thread_name_prefix="keytrace-seal") as pool:
            csv_path = path
            prepared = prepare(path, data, workdir, name)  # JSON, headerless or zipped files -> CSV
            if prepared is not None:
                csv_path = prepared
                data = read_head(csv_path)
            elif is_xlsx(data):
                from ingest.xlsx import xlsx_to_csv

                csv_path = xlsx_to_csv(path, workdir / "sheet.csv", name)
                data = read_head(csv_path)
            complete = csv_path.stat().st_size <= len(data)
            text = decode_head(data, name, complete=complete)
            notices: list[str] = []
            try:
                sniffed = sniff_text(text, name, complete=complete, delimiter=delimiter or ",")
            except InputError:
                resave = detect_resave(text, name, complete=complete) if delimiter is None else None
                if resave is None:
                    raise
                delimiter, decimal_comma = resave
                sniffed = sniff_text(text, name, complete=complete, delimiter=delimiter)
                notices.append(f"{name} was re-saved by a spreadsheet: read with fields separated by "
                               f"{DELIMITERS[delimiter]} and {'decimal commas (1.234,56)' if decimal_comma else 'decimal points'}"
                               ", as its header and first rows show; give --delimiter (and --decimal-comma) "
                               "to say otherwise")
            check_number_format(sniffed.head, decimal_comma)
            spec = sniffed.spec
            # a bot platform's log (3Commas) is not an exchange's export: --exchange names the exchange its
            # orders went to
            target = exchange.strip().lower() if exchange and spec.kind == "bot_orders" else spec.exchange
            if exchange is not None and exchange.strip().lower() != target:
                given = exchange.strip().lower()
                known = sorted({s.exchange for s in registry() if s.kind != "bot_orders"})
                if given not in known:
                    raise UsageError(f"{given!r} is not an exchange keytrace knows (known exchanges: "
                                     f"{', '.join(known)}); {name} is a {spec.exchange} export ({spec.name})")
                raise UsageError(f"{name} is a {spec.exchange} export ({spec.name}), not {given}")
            fingerprint = api_key_fingerprint(spec.exchange, api_key) if api_key else None
            options = Options(exchange=target, account=account, dayfirst=dayfirst,
                              api_key_fingerprint=fingerprint, decimal_comma=decimal_comma)
            if progress:
                progress("hashing", 0.0)
            # hash and encrypt the evidence copy on a thread while DuckDB parses the file
            sealing = pool.submit(_hash_and_seal, ws, path, cancel)
            try:
                staged = load.stage(csv_path, sniffed.head, spec, options, workdir, progress=progress)
                companions: list[load.Staged] = []
                for i, companion in enumerate(spec.companions, start=1):
                    sub = workdir / f"part{i}"
                    sub.mkdir()
                    companions.append(load.stage(csv_path, sniffed.head, spec_named(companion), options, sub))
                parts = [staged, *companions]
                if not skip_bad_rows:
                    for part in parts:
                        load.refuse_bad_rows(part)
                read = sum(p.rows_read for p in parts)
                if sum(p.rows_good for p in parts) == 0 and read > 0:
                    problems = [q for p in parts for q in p.problems]
                    raise InputError(f"none of the {staged.file_rows} rows is valid; nothing was stored "
                                     f"(first problem: {problems[0].sentence() if problems else '?'})",
                                     file=name)
                resolved = _resolve_account(parts, account, name)
                sha, sealed = sealing.result()
                if _fingerprint(path) != before:
                    raise InputError("the file changed while it was being read; nothing was stored", file=name)
                if progress:
                    progress("merging", 0.8)
                outcome = load.merge(ws, staged, path, sha=sha, exchange=spec.exchange, account=resolved,
                                     actor=actor, skip_bad_rows=skip_bad_rows, case_id=case_id,
                                     claim_id=claim_id, started_at=started, also=companions, prepared=sealed,
                                     screen=screen)
            except BaseException:
                cancel.set()
                raise
            if progress:
                progress("done", 1.0)
    finally:
        _drop_unused_copy(sealing)
    return IngestResult(
        run_id=outcome.run_id, format=spec.name, evidence_sha256=sha[0], exchange=spec.exchange,
        account=resolved, rows_read=staged.file_rows, rows_staged=read, rows_added=outcome.rows_added,
        rows_rejected=outcome.rows_rejected, source_name=name, kind=spec.kind,
        evidence_is_new=outcome.evidence_is_new, flagged=staged.flagged, flagged_count=staged.flagged_count,
        parts=tuple(p.spec.name for p in parts if p is staged or p.rows_read), notices=tuple(notices))


def _hash_and_seal(ws: Workspace, path: Path, cancel: threading.Event) -> tuple[tuple[str, int], Path | None]:
    sha = sha256_file(path, cancel)  # both stop early once the ingest has failed
    return sha, seal_in_advance(ws, path, sha[0], cancel)


def _drop_unused_copy(sealing: Future[tuple[tuple[str, int], Path | None]] | None) -> None:
    """Delete the sealed copy when the ingest failed before the store took it (a no-op after a merge)."""
    if sealing is None or not sealing.done() or sealing.cancelled() or sealing.exception() is not None:
        return
    copy = sealing.result()[1]
    if copy is not None:
        copy.unlink(missing_ok=True)


def _fingerprint(path: Path) -> tuple[int, int]:
    st = os.stat(path)
    return st.st_size, st.st_mtime_ns


def _mask_matches(masked: str, uid: str) -> bool:
    """Whether ``uid`` shows the visible characters of ``masked`` (``*****3866`` matches ``80213866``)."""
    pattern = ".+".join(re.escape(piece) for piece in re.split(r"\*+", masked))
    return re.fullmatch(pattern, uid) is not None


def _resolve_account(parts: list[load.Staged], account: str | None, name: str) -> str:
    staged = parts[0]
    given = account.strip() if account else None
    masked = tuple(dict.fromkeys(m for p in parts for m in p.masked_accounts))
    found = tuple(dict.fromkeys(a for p in parts for a in p.accounts))
    if masked:  # a masked UID is not an account: the real one is --account, or the file's unmasked UID
        uid = given or (found[0] if len(found) == 1 else None)
        if uid is None:
            raise UsageError(f"{name} shows the account only masked ({', '.join(masked)}); give the full UID "
                             "with --account")
        wrong = [m for m in masked if not _mask_matches(m, uid)]
        if wrong:
            raise UsageError(f"{name} shows the masked account {', '.join(wrong)}, which does not match "
                             f"{'--account ' if given else 'the UID '}{uid}; give the account the export belongs to")
    with_rows = [p for p in parts if p.rows_read] or [staged]
    if not found and not any(p.spec.needs_account for p in with_rows):
        return given or ""  # reference prices and the like belong to no account
    if found:
        if given and given not in found:
            raise AccountMismatch(f"{name} belongs to account {', '.join(found)}, not {given}; "
                                  "leave out --account or give the right one", found=found, given=given)
        return found[0] if len(found) == 1 else ",".join(found)
    if not given:
        raise UsageError(f"{name} ({staged.spec.name}) does not say which {staged.spec.exchange} account it "
                         "belongs to; give it with --account UID")
    return given
