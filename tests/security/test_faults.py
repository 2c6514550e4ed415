"""Faults: kill -9 during an ingest, a full disk, the node dying mid-pull, 50 claims filed from
parallel processes while an ingest runs. Each test prints what it tried and what survived."""

from __future__ import annotations

import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from core import audit
from core.config import load_settings
from core.evidence import iter_plaintext, process_alive
from core.workspace import Workspace
from tests.security.conftest import Report

ROOT = Path(__file__).resolve().parents[2]
ROWS = 200_000


def big_export(path: Path, rows: int = ROWS, start: datetime = datetime(2021, 1, 1)) -> Path:
    """A Binance spot trade history with ``rows`` distinct trades (about 75 bytes a row)."""
    with path.open("w") as f:
        f.write("Date(UTC),Pair,Side,Price,Executed,Amount,Fee\n")
        for i in range(rows):
            t = start + timedelta(seconds=37 * i)
            price, quantity = 14362 + i % 1000, 701 + 10 * (i % 50)   # 0.14362.. and 70.1..: Amount is their product
            f.write(f"{t:%Y-%m-%d %H:%M:%S},VETUSDT,{'BUY' if i % 2 else 'SELL'},0.{price},"
                    f"{quantity // 10}.{quantity % 10}VET,{price * quantity / 10**6:.6f}USDT,0.0000{1784 + i % 100}BNB\n")
    return path


def keytrace(db: Path, *argv: str, **kw: object) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(ROOT), KEYTRACE_LOCK_TIMEOUT="60")
    for var in ("KEYTRACE_DB", "KEYTRACE_SECRET_KEY", "KEYTRACE_KEY_FILE", "KEYTRACE_EVIDENCE_DIR"):
        env.pop(var, None)
    env["KEYTRACE_CONFIG"] = str(db.with_name("none.toml"))
    db.with_name("none.toml").write_text("")
    return subprocess.Popen([sys.executable, "-m", "app.cli", "--db", str(db), *argv], env=env, cwd=db.parent,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)  # type: ignore[call-overload]


def state(ws: Workspace) -> dict[str, int]:
    """The figures that must be all-or-nothing after a fault, with the audit chain and evidence checked."""
    with ws.db.read() as con:
        out = {t: int(con.execute(f"SELECT count(*) FROM {t}").fetchall()[0][0])
               for t in ("trades", "ingest_runs", "evidence_files", "claims", "audit_log")}
        out["audit_verified"] = audit.verify(con, ws.keys, ws.settings)
        stored = [r[0] for r in con.execute("SELECT sha256 FROM evidence_files WHERE stored").fetchall()]
    for sha in stored:  # every indexed file is present and decrypts to its hash
        for _ in iter_plaintext(ws, sha):
            pass
    return out


def fresh(tmp_path: Path, name: str = "case.duckdb") -> Workspace:
    db = tmp_path / name
    (tmp_path / "none.toml").write_text("")
    ws = Workspace(load_settings(db, env={"KEYTRACE_CONFIG": str(tmp_path / "none.toml")}), lock_timeout=60)
    ws.init()
    return ws


def test_kill_9_during_ingest_leaves_a_consistent_database(tmp_path: Path, report: Report) -> None:
    ws = fresh(tmp_path)
    src = big_export(tmp_path / "big.csv")
    # first inside the merge (the moment the ingest holds the write lock), then at fixed moments
    moments: list[float | str] = ["merge", 0.3, 0.9, 1.6, 2.4, 3.3]
    kills = finished_first = in_merge = 0
    killed_pids: list[int] = []
    seen: list[int] = []
    tried: list[float | str] = []
    for moment in moments:
        proc = keytrace(ws.settings.db_path, "ingest", str(src), "--account", "38811234", "--json")
        tried.append(moment)
        if moment == "merge":
            killed = _kill_when_locked(ws.settings.lock_path, proc)
            in_merge += killed
        else:
            time.sleep(float(moment))
            killed = proc.poll() is None
            if killed:
                os.kill(proc.pid, signal.SIGKILL)
        kills += killed
        finished_first += not killed
        if killed:
            killed_pids.append(proc.pid)
        proc.communicate()
        s = state(ws)  # opens after the kill: no lock left behind, chain intact, evidence readable
        assert s["trades"] in (0, ROWS), f"a killed ingest left {s['trades']} of {ROWS} rows"
        assert s["ingest_runs"] == (1 if s["trades"] else 0)
        seen.append(s["trades"])
        if s["trades"] == ROWS:
            break
    proc = keytrace(ws.settings.db_path, "ingest", str(src), "--account", "38811234", "--json")
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    final = state(ws)
    assert final["trades"] == ROWS and final["evidence_files"] == 1
    with ws.db.read() as con:
        dups = con.execute("SELECT count(*) - count(DISTINCT (evidence_sha256, source_row)) FROM trades").fetchall()
    assert dups[0][0] == 0
    leftovers = [p.name for p in ws.settings.evidence_dir.rglob(".incoming-*")]
    assert not leftovers, "a partial evidence copy of a killed run was left behind"
    # what killed runs may leave: an evidence copy sealed before the merge and a staging folder; both are
    # removed by a later ingest once their process is gone and they have been untouched for hours
    early = list(ws.settings.evidence_dir.rglob(".prepared-*"))
    assert {int(p.name.split("-")[1]) for p in early} <= set(killed_pids)
    staged = [p for pid in killed_pids for p in Path(tempfile.gettempdir()).glob(f"keytrace-stage-{pid}-*")]
    then = time.time() - 7 * 3600
    for left in [*early, *staged]:
        for p in [left, *(left.rglob("*") if left.is_dir() else [])]:
            os.utime(p, (then, then))
    other = big_export(tmp_path / "other.csv", rows=3, start=datetime(2022, 1, 1))
    proc = keytrace(ws.settings.db_path, "ingest", str(other), "--account", "38811234", "--json")
    assert proc.communicate(timeout=120)[0] and proc.returncode == 0
    # (a killed pid that a new process has taken meanwhile keeps its leftovers: they look alive)
    kept = [p.name for p in [*early, *staged] if p.exists() and not _pid_taken(p)]
    assert kept == [], kept
    report(f"kill -9 during ingest: {ROWS:,}-row export, moments tried {tried} (seconds, or 'merge' = while it "
           f"held the write lock): {kills} kills, {in_merge} inside the merge, {finished_first} runs finished "
           f"before their kill; rows after each kill {seen} (all-or-nothing), "
           f"audit chain verified each time; re-run stored exactly {final['trades']:,} rows, 0 duplicates, "
           f"no partial evidence copy left behind; {len(early)} early evidence copies and {len(staged)} staging "
           "folders of killed runs removed by a later ingest once stale")


def _pid_taken(leftover: Path) -> bool:
    return process_alive(int(leftover.name.split("-")[1 if leftover.name.startswith(".prepared-") else 2]))


def _kill_when_locked(lock_path: Path, proc: subprocess.Popen[str]) -> bool:
    """SIGKILL ``proc`` as soon as it holds the exclusive database lock; False if it finished first."""
    import fcntl

    deadline = time.monotonic() + 120
    while proc.poll() is None and time.monotonic() < deadline:
        if lock_path.exists():
            fd = os.open(lock_path, os.O_RDONLY)
            try:
                fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
                fcntl.flock(fd, fcntl.LOCK_UN)
            except BlockingIOError:
                time.sleep(0.05)  # inside the transaction, past its first statements
                os.kill(proc.pid, signal.SIGKILL)
                return True
            finally:
                os.close(fd)
        time.sleep(0.01)
    return False


@contextlib.contextmanager
def small_disk(path: Path, size_mb: int, allow_mount: bool = True) -> Iterator[str]:
    """A tmpfs of ``size_mb`` at ``path`` when we may mount one (root), else nothing (RLIMIT_FSIZE is used)."""
    path.mkdir()
    if allow_mount and os.geteuid() == 0 and shutil.which("mount"):
        done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size_mb}m,mode=0700", "tmpfs", str(path)],
                              capture_output=True)
        if done.returncode == 0:
            try:
                yield "tmpfs"
            finally:
                subprocess.run(["umount", "-l", str(path)], check=False)
            return
    yield "rlimit"


def _limit_file_size(limit: int) -> None:  # runs in the child before exec
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # writes past the limit fail with EFBIG instead
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@pytest.mark.parametrize("runs_out_in", ["evidence store", "database", "file-size limit (RLIMIT_FSIZE)"])
def test_a_full_disk_gives_one_sentence_and_no_corruption(tmp_path: Path, report: Report, runs_out_in: str) -> None:
    """A full tmpfs (as root) runs out in the evidence store or in the database; without root, or in the
    third case, RLIMIT_FSIZE in the child (SIGXFSZ ignored) makes every write past the limit fail with EFBIG."""
    src = big_export(tmp_path / "big.csv", rows=150_000)  # ~11 MB, encrypted copy as large again
    spare = 3 * 1024 * 1024 if runs_out_in == "evidence store" else src.stat().st_size + 1024 * 1024
    with small_disk(tmp_path / "disk", 24, allow_mount=not runs_out_in.startswith("file-size")) as how:
        ws = fresh(tmp_path / "disk")
        before = state(ws)
        kw: dict[str, object] = {}
        if how == "rlimit":
            kw["preexec_fn"] = lambda: _limit_file_size(ws.settings.db_path.stat().st_size + 4 * 1024 * 1024)
        # fill the disk to a few MB short of what the ingest needs
        if how == "tmpfs":
            st = os.statvfs(tmp_path / "disk")
            free = st.f_bavail * st.f_frsize
            (tmp_path / "disk" / "filler").write_bytes(b"\0" * (free - spare))
        proc = keytrace(ws.settings.db_path, "ingest", str(src), "--account", "38811234", **kw)
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 1, (proc.returncode, err)
        assert err.startswith("keytrace: ") and err.count("\n") == 1 and "Traceback" not in err, err
        assert "space" in err or "full" in err or "large" in err, err
        after = state(ws)
        assert after == before, "a failed ingest on a full disk changed the database"
        assert not list(ws.settings.evidence_dir.rglob(".inc*")), "a partial evidence file was left behind"
        # an encrypted copy written before the database ran out is an orphan: whole, and reused by the re-run
        orphans = [p.stem for p in ws.settings.evidence_dir.rglob("*.ktev")]
        for sha in orphans:
            for _ in iter_plaintext(ws, sha):
                pass
        if how == "tmpfs":
            (tmp_path / "disk" / "filler").unlink()
            subprocess.run(["mount", "-o", "remount,size=200m", str(tmp_path / "disk")], check=True)
        proc = keytrace(ws.settings.db_path, "ingest", str(src), "--account", "38811234")
        _, err2 = proc.communicate(timeout=300)
        assert proc.returncode == 0, err2
        assert state(ws)["trades"] == 150_000
    report(f"full disk ({how}; {runs_out_in} fills up): ingest refused with {err.strip()!r}; "
           f"database unchanged, audit chain intact, {len(orphans)} whole orphan evidence file; "
           "after space was freed the same ingest stored all 150,000 rows")


WORKER = r"""
import json, sys
from app import auth, claims
from core.workspace import Workspace
db, username, password, worker, n = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
ws = Workspace.open(db, lock_timeout=120)
_, token = auth.login(ws, username, password)          # a session of its own, like a browser tab
import pathlib, time
print("ready", flush=True)
go = pathlib.Path(sys.argv[6])
while not go.exists():
    time.sleep(0.02)
ids = []
for i in range(n):
    time.sleep(0.2)                                     # spread the claims over the ingest's run
    user = auth.session_user(ws, token)                 # re-checked on every action, as the app does
    ids.append(claims.file_claim(ws, user, exchange="binance", account=f"{worker}-{i}",
                                 contact_email=f"w{worker}@example.org", statement=f"worker {worker} claim {i}",
                                 claimed_loss_usd=f"{worker}{i}.50"))
print(json.dumps(ids))
"""


def test_50_claims_from_parallel_sessions_while_an_ingest_runs(ws: Workspace, people: object, tmp_path: Path,
                                                              report: Report) -> None:
    from app import claims
    from tests.app.conftest import PASSWORD

    src = big_export(tmp_path / "big.csv")
    before = state(ws)
    (tmp_path / "none.toml").write_text("")
    workers, per = 5, 10
    go = tmp_path / "go"
    env = dict(os.environ, PYTHONPATH=str(ROOT), KEYTRACE_CONFIG=str(tmp_path / "none.toml"))
    procs = [subprocess.Popen([sys.executable, "-c", WORKER, str(ws.settings.db_path),
                               ("vera", "otto")[w % 2], PASSWORD, str(w), str(per), str(go)],
                              env=env, cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(workers)]
    for p in procs:  # every session is logged in before the ingest starts
        assert p.stdout is not None and p.stdout.readline().strip() == "ready"
    ingest = keytrace(ws.settings.db_path, "ingest", str(src), "--account", "38811234", "--json")
    time.sleep(0.3)
    running_at_start = ingest.poll() is None
    go.touch()
    ids: list[int] = []
    by_owner: dict[str, set[int]] = {"vera": set(), "otto": set()}
    for w, p in enumerate(procs):
        out, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
        ids += json.loads(out.strip().splitlines()[-1])
        by_owner[("vera", "otto")[w % 2]] |= set(json.loads(out.strip().splitlines()[-1]))
    overlapped = ingest.poll() is None  # the ingest was still at work when the last claim was kept
    assert running_at_start
    _, err = ingest.communicate(timeout=300)
    assert ingest.returncode == 0, err
    after = state(ws)
    assert len(ids) == len(set(ids)) == workers * per
    assert after["claims"] == before["claims"] + workers * per
    assert after["trades"] == before["trades"] + ROWS
    assert after["audit_verified"] == after["audit_log"]
    vera = {c["id"] for c in claims.list_claims(ws, people.victim)}  # type: ignore[attr-defined]
    otto = {c["id"] for c in claims.list_claims(ws, people.other_victim)}  # type: ignore[attr-defined]
    assert vera == by_owner["vera"] and otto == by_owner["otto"] and not vera & otto
    for cid in ids[:: 7]:
        c = claims.get_claim(ws, people.investigator, cid)  # type: ignore[attr-defined]
        worker, i = c.account.split("-")
        assert c.statement == f"worker {worker} claim {i}" and c.contact_email == f"w{worker}@example.org"
    report(f"parallel load: {workers} processes x {per} claims = {len(ids)} claims filed from separate sessions "
           f"while a {ROWS:,}-row ingest ran (running when the claims began: {running_at_start}, still running after the last: {overlapped}); {len(ids)} kept, {after['trades'] - before['trades']:,} rows "
           f"stored, audit chain verified ({after['audit_verified']} entries)")
