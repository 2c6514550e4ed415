"""Reference prices: download Binance's public kline files and load them through the ingest pipeline.

Binance publishes every spot pair's candles at ``https://data.binance.vision``:
``data/spot/monthly/klines/<SYMBOL>/<interval>/<SYMBOL>-<interval>-<YYYY-MM>.zip`` once a month has
ended, and ``data/spot/daily/klines/.../<SYMBOL>-<interval>-<YYYY-MM-DD>.zip`` for each day. Each zip
has a ``.CHECKSUM`` file beside it (``<sha256>  <name>``). :func:`fetch_klines` asks for the monthly
file of each month the range touches and falls back to the daily files of that month when the monthly
one does not exist (yet); it verifies the checksum when one is published, and ingests every file with
:func:`ingest.api.ingest_file`, so each is stored as evidence, validated and merged like any export
(re-fetching adds nothing). Whole files are loaded: the bars of a month outside the range come along.
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import requests

from core.errors import InputError, RetriableRpcError
from core.workspace import Workspace
from ingest.api import IngestResult, ingest_file
from ingest.formats.assets import split_pair

DEFAULT_BASE_URL = "https://data.binance.vision"
INTERVALS = ("1s", "1m", "3m", "5m", "15m", "30m", "1h", "2h", "4h", "6h", "8h", "12h", "1d", "3d", "1w", "1mo")
TIMEOUT = 30.0
MAX_DOWNLOAD = 512 * 1024 * 1024

ProgressFn = Callable[[str, float], None]


@dataclass
class FetchResult:
    symbol: str
    pair: str
    interval: str
    files: list[str] = field(default_factory=list)        # file names ingested
    missing: list[str] = field(default_factory=list)      # file names the server does not have
    bars_added: int = 0
    bars_read: int = 0
    runs: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {"symbol": self.symbol, "pair": self.pair, "interval": self.interval, "files": self.files,
                "missing": self.missing, "bars_read": self.bars_read, "bars_added": self.bars_added,
                "runs": self.runs}


def symbol_of(pair: str) -> tuple[str, str]:
    """(SYMBOL, BASE/QUOTE) of ``BTC/USDT``, ``BTC-USDT`` or ``BTCUSDT``."""
    text = pair.strip().upper()
    parts = re.split(r"[/\-_]", text)
    if len(parts) == 2 and all(re.fullmatch(r"[A-Z0-9]+", p) for p in parts):
        return parts[0] + parts[1], f"{parts[0]}/{parts[1]}"
    if re.fullmatch(r"[A-Z0-9]+", text):
        split = split_pair(text)
        if split:
            return text, f"{split[0]}/{split[1]}"
    raise InputError(f"the pair {pair!r} is not like BTC/USDT or BTCUSDT")


def _months(start: date, end: date) -> Iterator[date]:
    month = start.replace(day=1)
    while month <= end:
        yield month
        month = (month.replace(day=28) + timedelta(days=4)).replace(day=1)


def planned_files(symbol: str, interval: str, start: date, end: date) -> list[tuple[str, list[str]]]:
    """For each month of the range: (monthly path, [daily paths of the range's days in that month])."""
    if interval not in INTERVALS:
        raise InputError(f"the interval {interval!r} is not one of {', '.join(INTERVALS)}")
    if end < start:
        raise InputError(f"--to {end} is before --from {start}")
    plan = []
    for month in _months(start, end):
        monthly = f"data/spot/monthly/klines/{symbol}/{interval}/{symbol}-{interval}-{month:%Y-%m}.zip"
        days = []
        day = max(start, month)
        while day <= end and day.month == month.month:
            days.append(f"data/spot/daily/klines/{symbol}/{interval}/{symbol}-{interval}-{day:%Y-%m-%d}.zip")
            day += timedelta(days=1)
        plan.append((monthly, days))
    return plan


def _download(session: requests.Session, url: str, dest: Path) -> bool:
    """Save ``url`` to ``dest``; False when the server has no such file (404)."""
    try:
        with session.get(url, timeout=TIMEOUT, stream=True) as resp:
            if resp.status_code == 404:
                return False
            if resp.status_code in (429,) or resp.status_code >= 500:
                raise RetriableRpcError(f"the price server answered {resp.status_code} for {url}; try again later")
            if resp.status_code != 200:
                raise InputError(f"the price server answered {resp.status_code} for {url}")
            size = 0
            with dest.open("wb") as fh:
                for chunk in resp.iter_content(1 << 16):
                    size += len(chunk)
                    if size > MAX_DOWNLOAD:
                        raise InputError(f"{url} is larger than {MAX_DOWNLOAD // 1024**2} MiB; refusing it")
                    fh.write(chunk)
    except requests.ConnectionError:
        raise RetriableRpcError(f"cannot reach the price server at {url.split('/data/')[0]} (no network?); "
                                "nothing was fetched") from None
    except requests.Timeout:
        raise RetriableRpcError(f"the price server did not answer within {TIMEOUT:.0f} s for {url}") from None
    return True


def _verify_checksum(session: requests.Session, url: str, path: Path) -> None:
    try:
        resp = session.get(url + ".CHECKSUM", timeout=TIMEOUT)
    except (requests.ConnectionError, requests.Timeout):
        return  # the file itself came through; a missing checksum is not an error
    if resp.status_code != 200:
        return
    expected = resp.text.strip().split()[0].lower() if resp.text.strip() else ""
    actual = hashlib.sha256(path.read_bytes()).hexdigest()
    if expected and expected != actual:
        raise InputError(f"{path.name} does not match its published SHA-256 checksum; nothing from it was stored",
                         file=path.name)


def fetch_klines(ws: Workspace, pair: str, start: date, end: date, interval: str = "1m", *, actor: str,
                 base_url: str | None = None, session: requests.Session | None = None,
                 progress: ProgressFn | None = None) -> FetchResult:
    """Download the public kline files covering [start, end] and ingest each one."""
    symbol, canonical = symbol_of(pair)
    plan = planned_files(symbol, interval, start, end)
    base = (base_url or DEFAULT_BASE_URL).rstrip("/")
    result = FetchResult(symbol, canonical, interval)
    own_session = session is None
    http = session or requests.Session()
    try:
        with tempfile.TemporaryDirectory(prefix="keytrace-prices-") as tmp:
            total = sum(1 + len(days) for _, days in plan)
            done = 0
            for monthly, days in plan:
                for rel in [monthly, *days]:
                    name = rel.rsplit("/", 1)[1]
                    dest = Path(tmp) / name
                    done += 1
                    if progress:
                        progress(f"downloading {name}", done / max(total, 1))
                    if not _download(http, f"{base}/{rel}", dest):
                        result.missing.append(name)
                        continue
                    _verify_checksum(http, f"{base}/{rel}", dest)
                    res: IngestResult = ingest_file(ws, dest, actor=actor)
                    result.files.append(name)
                    result.bars_read += res.rows_read
                    result.bars_added += res.rows_added
                    result.runs.append(res.run_id)
                    if rel == monthly:
                        break  # the month's file covers its days
    finally:
        if own_session:
            http.close()
    if not result.files:
        raise InputError(f"the price server has no {symbol} {interval} kline files for {start} to {end} "
                         f"(tried {', '.join(result.missing[:3])}{', ...' if len(result.missing) > 3 else ''})")
    return result
