"""A JSON-RPC client for EVM nodes: web3's HTTP provider for the connection, raw calls on top.

web3 decodes logs about 20 times slower than plain JSON, so keytrace uses web3's ``HTTPProvider`` (its
session handling, headers and request options) to reach the node and sends the JSON-RPC bodies itself.

Errors are sorted into two kinds (:mod:`core.errors`):

* :class:`~core.errors.RetriableRpcError`: HTTP 429 and 5xx, timeouts, dropped connections, truncated
  bodies, and the node refusing a range (:class:`RangeRefused`: "more than 10000 results", "response
  size exceeded", "block range too large", query timeouts). Plain retriable errors are retried with
  exponential backoff (honouring ``Retry-After``); a refused range is split by the caller.
* :class:`~core.errors.FatalRpcError`: everything a retry cannot fix (bad parameters, an unknown method,
  a node that answers with something that is not JSON-RPC). :class:`MethodUnsupported` marks a method
  the node does not offer.

The RPC URL may carry an API key; only :func:`ingest.chain.endpoint.public_endpoint` of it appears in
any message or stored row.
"""

from __future__ import annotations

import itertools
import json
import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from typing import Any

import requests
from eth_typing import URI
from web3 import HTTPProvider

from core.errors import FatalRpcError, RetriableRpcError
from ingest.chain.endpoint import public_endpoint, scrub


class RangeRefused(RetriableRpcError):
    """The node refused a request because it covers too much (split the range and ask again)."""


class SlowOrCut(RetriableRpcError):
    """A timeout, a connection dropped mid-answer, or a truncated body: often a request too big for
    the node or a proxy in front of it, so a caller may split the request after a few tries."""


class MethodUnsupported(FatalRpcError):
    """The node does not offer this method."""


_RANGE_WORDS = (
    "more than", "too many", "limit exceeded", "response size", "too large", "range is too",
    "block range", "exceed", "query timeout", "timed out", "timeout", "result window", "10000 results",
    "response is too big", "query returned more",
)
_RANGED_METHODS = ("eth_getLogs", "trace_filter", "batch")
_UNSUPPORTED_WORDS = ("method not found", "not supported", "does not exist", "not available",
                      "unsupported method", "method not allowed", "not enabled")


class _ScrubCredentials(logging.Filter):
    """web3 logs the endpoint URL at debug level; this filter takes the credentials out of such records."""

    def __init__(self, url: str) -> None:
        super().__init__()
        self.url = url

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        clean = scrub(text, self.url)
        if clean != text:
            record.msg, record.args = clean, None
        return True


_WEB3_LOGGERS = ("web3._utils.http_session_manager.HTTPSessionManager", "web3.providers.HTTPProvider",
                 "web3.providers.base", "urllib3.connectionpool")


class RateLimiter:
    """At most ``rps`` JSON-RPC calls per second (a batch of n calls counts n)."""

    def __init__(self, rps: float | None, clock: Callable[[], float] = time.monotonic,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.rps = rps
        self._next = 0.0
        self._clock = clock
        self._sleep = sleep
        self._lock = threading.Lock()

    def acquire(self, n: int = 1) -> None:
        if not self.rps:
            return
        with self._lock:
            now = self._clock()
            start = max(now, self._next)
            self._next = start + n / self.rps
        if start > now:
            self._sleep(start - now)


class RpcClient:
    def __init__(self, url: str, *, rps: float | None = None, timeout: float = 30.0, max_attempts: int = 8,
                 batch_size: int = 100, backoff: float = 0.25, max_backoff: float = 8.0,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        if not url.lower().startswith(("http://", "https://")):
            raise FatalRpcError(f"the RPC URL {public_endpoint(url)} is not an http(s) URL")
        self._url = url
        self.endpoint = public_endpoint(url)
        self._log_filter = _ScrubCredentials(url)
        for name in _WEB3_LOGGERS:
            logging.getLogger(name).addFilter(self._log_filter)
        self._session = requests.Session()
        self._provider = HTTPProvider(url, request_kwargs={"timeout": timeout}, session=self._session,
                                      exception_retry_configuration=None)
        self._kwargs = dict(self._provider.get_request_kwargs())
        self._uri = self._provider.endpoint_uri or URI(url)
        self.timeout = timeout
        self.max_attempts = max_attempts
        self.batch_size = batch_size
        self.backoff = backoff
        self.max_backoff = max_backoff
        self._sleep = sleep
        self.limiter = RateLimiter(rps, sleep=sleep)
        self._ids = itertools.count(1)
        self.batch_supported = True
        self.calls = 0
        self.retries = 0
        self.recorded: list[tuple[str, list[Any]]] | None = None  # set to a list to record every call

    # -- transport ----------------------------------------------------------------------------
    def _post_once(self, body: bytes, n_calls: int) -> Any:
        self.limiter.acquire(n_calls)
        self.calls += n_calls
        try:
            resp = self._provider._request_session_manager.get_response_from_post_request(
                self._uri, data=body, **self._kwargs)
        except requests.Timeout:
            raise SlowOrCut(f"the node at {self.endpoint} did not answer within {self.timeout:g} s"
                                    ) from None
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError) as exc:
            raise RetriableRpcError(f"the connection to {self.endpoint} failed: "
                                    f"{scrub(type(exc).__name__, self._url)}") from None
        except requests.RequestException as exc:
            raise FatalRpcError(f"the request to {self.endpoint} failed: {scrub(str(exc), self._url)}"
                                ) from None
        with resp:
            status = resp.status_code
            try:
                content = resp.content
            except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
                raise SlowOrCut(f"the connection to {self.endpoint} dropped mid-answer") from None
            if status == 429 or status >= 500 or status == 408:
                err = RetriableRpcError(f"the node at {self.endpoint} answered HTTP {status}")
                retry_after = resp.headers.get("Retry-After", "")
                err.retry_after = float(retry_after) if retry_after.replace(".", "", 1).isdigit() else None  # type: ignore[attr-defined]
                raise err
            if status == 413:
                raise RangeRefused(f"the node at {self.endpoint} refused a response as too large")
            if status >= 400:
                # some nodes send JSON-RPC errors ("query returned more than 10000 results") with HTTP 400:
                # hand those on to be classified like any other JSON-RPC error
                try:
                    parsed: Any = json.loads(content)
                except ValueError:
                    parsed = None
                if isinstance(parsed, dict) and isinstance(parsed.get("error"), dict) or (
                        isinstance(parsed, list) and parsed and all(isinstance(b, dict) for b in parsed)):
                    return parsed
                raise FatalRpcError(f"the node at {self.endpoint} answered HTTP {status}")
        try:
            return json.loads(content)
        except ValueError:
            raise SlowOrCut(f"the node at {self.endpoint} sent a body that is not complete JSON") from None

    def _post(self, body: bytes, n_calls: int, slow_attempts: int | None = None) -> Any:
        """POST with retries: up to ``max_attempts`` for 429/5xx/dropped connections, and up to
        ``slow_attempts`` (when given) for :class:`SlowOrCut` answers, which the caller then splits."""
        attempts = self.max_attempts
        delay = self.backoff
        slow = 0
        for attempt in range(1, attempts + 1):
            try:
                return self._post_once(body, n_calls)
            except RangeRefused:
                raise
            except RetriableRpcError as exc:
                if isinstance(exc, SlowOrCut):
                    slow += 1
                    if slow_attempts is not None and slow >= slow_attempts:
                        raise
                if attempt >= attempts:
                    raise
                self.retries += 1
                wait = getattr(exc, "retry_after", None) or delay * (0.5 + random.random())
                self._sleep(min(wait, self.max_backoff))
                delay = min(delay * 2, self.max_backoff)
        raise AssertionError("unreachable")

    def _error(self, method: str, error: Any) -> Exception:
        if not isinstance(error, dict):
            return FatalRpcError(f"{method} failed at {self.endpoint}: malformed error")
        code = error.get("code")
        message = scrub(str(error.get("message", "")), self._url)[:300]
        low = message.lower()
        if code == -32601 or any(w in low for w in _UNSUPPORTED_WORDS):
            return MethodUnsupported(f"the node at {self.endpoint} does not offer {method} ({message})")
        if code == 3 or "revert" in low:  # a contract said no ("... exceeds balance" is not a range problem)
            return FatalRpcError(f"{method} reverted at {self.endpoint}: {message}")
        if method in _RANGED_METHODS and (code in (-32005, -32016) or any(w in low for w in _RANGE_WORDS)):
            return RangeRefused(f"{method} refused at {self.endpoint}: {message}")
        if code == 429 or "rate limit" in low or "try again" in low or "busy" in low:
            return RetriableRpcError(f"{method} rate-limited at {self.endpoint}: {message}")
        return FatalRpcError(f"{method} failed at {self.endpoint}: {message}")

    # -- calls --------------------------------------------------------------------------------
    def call(self, method: str, params: Sequence[Any], *, slow_attempts: int | None = None) -> Any:
        """One JSON-RPC call; its ``result`` or a classified error. ``slow_attempts``: give up early
        (with :class:`SlowOrCut`) on a request that keeps timing out, so the caller can split it."""
        attempts = self.max_attempts
        if self.recorded is not None:
            self.recorded.append((method, list(params)))
        for attempt in range(1, attempts + 1):
            body = json.dumps({"jsonrpc": "2.0", "id": next(self._ids), "method": method,
                               "params": list(params)}, separators=(",", ":")).encode()
            reply = self._post(body, 1, slow_attempts)
            if not isinstance(reply, dict) or ("result" not in reply and "error" not in reply):
                raise FatalRpcError(f"the node at {self.endpoint} did not answer {method} in JSON-RPC form")
            if "error" in reply and reply["error"] is not None:
                err = self._error(method, reply["error"])
                if type(err) is RetriableRpcError and attempt < attempts:
                    self.retries += 1
                    self._sleep(min(self.backoff * 2 ** attempt, self.max_backoff))
                    continue
                raise err
            return reply["result"]
        raise AssertionError("unreachable")

    def batch(self, calls: Sequence[tuple[str, Sequence[Any]]], *, keep_errors: bool = False) -> list[Any]:
        """Many calls, sent ``batch_size`` at a time; results in the order of ``calls``.

        A node that does not take batches gets the calls one by one. A failed call fails the whole
        batch with its classified error, unless ``keep_errors``: then a call that fails for good
        (a :class:`~core.errors.FatalRpcError`, e.g. a reverted ``eth_call``) yields that error in
        its place.
        """
        out: list[Any] = []
        for i in range(0, len(calls), self.batch_size):
            part = calls[i:i + self.batch_size]
            if not self.batch_supported or len(part) == 1:
                out.extend(self._single(m, p, keep_errors) for m, p in part)
                continue
            out.extend(self._batch_part(part, keep_errors))
        return out

    def _single(self, method: str, params: Sequence[Any], keep_errors: bool) -> Any:
        try:
            return self.call(method, params)
        except FatalRpcError as exc:
            if keep_errors:
                return exc
            raise

    def _batch_part(self, part: Sequence[tuple[str, Sequence[Any]]], keep_errors: bool = False) -> list[Any]:
        attempts = self.max_attempts
        for attempt in range(1, attempts + 1):
            ids = [next(self._ids) for _ in part]
            body = json.dumps([{"jsonrpc": "2.0", "id": i, "method": m, "params": list(p)}
                               for i, (m, p) in zip(ids, part, strict=True)], separators=(",", ":")).encode()
            reply = self._post(body, len(part))
            if isinstance(reply, dict):  # the node rejected the batch as a whole
                err = self._error("batch", reply.get("error"))
                if isinstance(err, MethodUnsupported) or "batch" in str(err).lower():
                    self.batch_supported = False
                    return [self._single(m, p, keep_errors) for m, p in part]
                raise err
            if not isinstance(reply, list):
                raise FatalRpcError(f"the node at {self.endpoint} answered a batch with something else")
            by_id = {r.get("id"): r for r in reply if isinstance(r, dict)}
            results: list[Any] = []
            retry = False
            for i, (method, _params) in zip(ids, part, strict=True):
                r = by_id.get(i)
                if r is None:
                    retry = True  # a proxy or node dropped part of the batch
                    break
                if r.get("error") is not None:
                    err = self._error(method, r["error"])
                    if type(err) is RetriableRpcError:
                        retry = True
                        break
                    if keep_errors and isinstance(err, FatalRpcError):
                        results.append(err)
                        continue
                    raise err
                results.append(r.get("result"))
            if not retry:
                return results
            if attempt < attempts:
                self.retries += 1
                self._sleep(min(self.backoff * 2 ** attempt, self.max_backoff))
        raise RetriableRpcError(f"the node at {self.endpoint} kept answering batches incompletely")

    # -- conveniences -------------------------------------------------------------------------
    def chain_id(self) -> int:
        return int(self.call("eth_chainId", []), 16)

    def block_number(self) -> int:
        return int(self.call("eth_blockNumber", []), 16)

    def close(self) -> None:
        self._session.close()
        for name in _WEB3_LOGGERS:
            logging.getLogger(name).removeFilter(self._log_filter)
