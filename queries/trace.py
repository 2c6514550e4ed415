"""Follow stolen money over ingested transfers: poison, haircut and FIFO taint, forward or backward.

The SQL files answer the set questions (which transfers leave this frontier, which addresses carry a
label); this module does what SQL alone cannot: the hop-by-hop expansion and the chronological replay
that decides how much of each transfer is tainted. Models (Möser, Böhme and Breuker 2014; Anderson et
al., "Bitcoin Redux", 2018):

* poison  - once an address received any taint, everything it sends afterwards is fully tainted;
* haircut - an address's taint share is tainted / balance; each transfer it sends carries that share
            (taint is conserved: what leaves never exceeds what came in);
* FIFO    - an address spends its coins in the order it received them; taint follows the coins.

Seeds are fully tainted: every transfer they send carries its full value. Balances come from the
ingested transfers only; when an address sends more than its known balance, the unseen rest counts
as clean. Taint is tracked per token, in integer micro-units (10^-6 of a raw token unit) and rounded
down at each transfer, so stored amounts are exact and the conservation audit holds without slack.
Backward tracing runs the same replay on the reversed graph in reverse time order: how much of what
reached the seeds came from each upstream address. Tracing stops at addresses labelled as an exchange,
bridge or mixer: these are the cash-out points.
"""

from __future__ import annotations

import json
import uuid
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from core import audit
from core.db import utcnow
from core.errors import InputError
from core.workspace import Workspace
from queries import runner

MODELS = ("poison", "haircut", "fifo")
DIRECTIONS = ("forward", "backward")
STOP_CATEGORIES = frozenset({"exchange", "bridge", "mixer"})
MICRO = 10**6
_BIGINT_MAX = 2**63 - 1



@dataclass(frozen=True)
class TraceEdge:
    hop: int
    chain_id: int
    tx_hash: str
    log_index: int | None
    trace_address: str | None
    token: str
    from_address: str
    to_address: str
    time_utc: datetime
    block_number: int
    value: int
    tainted_micro: int
    origin_is_seed: bool

    @property
    def tainted(self) -> Decimal:
        return micro_to_decimal(self.tainted_micro)


@dataclass(frozen=True)
class CashOutPoint:
    address: str
    entity: str
    category: str
    token: str
    tainted_micro: int
    first_utc: datetime
    last_utc: datetime
    path_count: int

    @property
    def tainted_amount(self) -> Decimal:
        return micro_to_decimal(self.tainted_micro)


@dataclass(frozen=True)
class TraceResult:
    trace_id: str
    model: str
    direction: str
    hops: int
    seeds: tuple[str, ...]
    edges: list[TraceEdge]
    cash_out_points: list[CashOutPoint]

    def as_dict(self) -> dict[str, Any]:
        return {
            "trace_id": self.trace_id, "model": self.model, "direction": self.direction, "hops": self.hops,
            "seeds": list(self.seeds),
            "cash_out_points": [
                {"address": c.address, "entity": c.entity, "category": c.category, "token": c.token,
                 "tainted_amount": str(c.tainted_amount), "first_utc": c.first_utc.isoformat(),
                 "last_utc": c.last_utc.isoformat(), "path_count": c.path_count}
                for c in self.cash_out_points],
            "edges": [
                {"hop": e.hop, "chain_id": e.chain_id, "tx_hash": e.tx_hash, "log_index": e.log_index,
                 "token": e.token, "from": e.from_address, "to": e.to_address,
                 "time_utc": e.time_utc.isoformat(), "value": str(e.value), "tainted": str(e.tainted)}
                for e in self.edges],
        }


def micro_to_decimal(micro: int) -> Decimal:
    return Decimal(micro).scaleb(-6)


def normalise_address(address: str) -> str:
    a = address.strip().lower()
    if len(a) != 42 or not a.startswith("0x") or any(c not in "0123456789abcdef" for c in a[2:]):
        raise InputError(f"{address!r} is not a 0x-hex address of 20 bytes")
    return a


@dataclass
class _State:
    hop: int | None = None            # smallest hop at which taint reached the address
    paths: int = 0                    # taint paths from the seeds that reached it so far
    poisoned: bool = False
    balance: int = 0                  # raw units known to the replay
    tainted: int = 0                  # micro-units (haircut)
    lots: deque[tuple[int, bool]] = field(default_factory=deque)   # FIFO: (raw amount, tainted)


# A transfer row as the trace_*_edges queries return it:
# (chain_id, block_number, time_utc, tx_hash, log_index, trace_address, token, from_address, to_address, value)
_Row = tuple[Any, ...]
CHAIN, BLOCK, TIME, TX, LOG, TRACE_ADDR, TOKEN, FROM, TO, VALUE = range(10)


def _fetch(con: duckdb.DuckDBPyConnection, name: str, frontier: dict[str, datetime | None],
           params: dict[str, Any]) -> list[_Row]:
    if not frontier:
        return []
    table = pa.table({"address": pa.array(list(frontier), pa.string()),
                      "since_utc": pa.array(list(frontier.values()), pa.timestamp("us", tz="UTC"))})
    con.register("frontier", table)
    try:
        sql = runner.load(name)
        return con.execute(sql, runner.bind(sql, params)).fetchall()
    finally:
        con.unregister("frontier")


def _order(r: _Row) -> tuple[Any, ...]:
    return (r[BLOCK], r[TIME], r[TX], -1 if r[LOG] is None else r[LOG], r[TRACE_ADDR] or "")


def compute(con: duckdb.DuckDBPyConnection, seeds: Iterable[str], model: str, hops: int = 5,
            direction: str = "forward", chain_id: int | None = None, token: str | None = None) -> TraceResult:
    """Trace on an open connection (read-only is enough); nothing is stored."""
    if model not in MODELS:
        raise InputError(f"unknown taint model {model!r}; use one of {', '.join(MODELS)}")
    if direction not in DIRECTIONS:
        raise InputError(f"unknown direction {direction!r}; use forward or backward")
    if hops < 1:
        raise InputError("--hops must be at least 1")
    seed_set = frozenset(normalise_address(s) for s in seeds)
    seed_list = tuple(dict.fromkeys(normalise_address(s) for s in seeds))
    if not seed_set:
        raise InputError("give at least one seed address")
    token = token.lower() if token else None
    params: dict[str, Any] = {"chain_id": chain_id, "token": token}
    labels = {r["address"]: r for r in runner.run(con, "trace/labels", {"chain_id": chain_id})}
    stop = {a for a, r in labels.items() if r["category"] in STOP_CATEGORIES}
    forward = direction == "forward"
    expand_q = "trace/forward_edges" if forward else "trace/backward_edges"
    src_i, dst_i = (FROM, TO) if forward else (TO, FROM)

    # 1. expansion: hop by hop, transfers that could carry taint onwards (leaving a node after the
    #    earliest time taint could have reached it); hop_of = the smallest hop a node was reached at
    reached: dict[str, datetime | None] = {a: None for a in seed_list}
    frontier: dict[str, datetime | None] = dict(reached)
    transfers: dict[tuple[Any, ...], _Row] = {}
    hop_of: dict[str, int] = {}
    # haircut and FIFO read each frontier address's whole history in the same scan (one pass over the
    # transfers per hop); poison needs only the transfers leaving it after taint could arrive
    histories = model != "poison"
    for h in range(1, hops + 1):
        nxt: dict[str, datetime | None] = {}
        for r in _fetch(con, "trace/touching_edges" if histories else expand_q, frontier, params):
            transfers[(r[CHAIN], r[TX], r[LOG], r[TRACE_ADDR])] = r
            src, dst, when = r[src_i], r[dst_i], r[TIME]
            if src not in frontier or dst in seed_set:
                continue
            since = frontier[src]
            if since is not None and (when < since if forward else when > since):
                continue
            seen = reached.get(dst)
            if dst not in reached or seen is None or (when < seen if forward else when > seen):
                reached[dst] = when
                hop_of.setdefault(dst, h)
                if dst not in stop and h < hops:
                    nxt[dst] = when
        frontier = nxt
        if not frontier:
            break
    # 2. nodes that may pass taint on: reached before the last hop and not a cash-out point (their
    #    histories were read when they were the frontier)
    inner = {a for a, h in hop_of.items() if h < hops and a not in stop}

    # 3. chronological replay (reverse time for backward); state is kept for inner nodes only: a
    #    leaf (reached at the last hop), a cash-out point or an untouched address passes nothing on
    events = sorted(transfers.values(), key=_order, reverse=not forward)
    states: dict[tuple[str, str], _State] = {}
    edges: list[TraceEdge] = []
    edge_paths: list[int] = []
    for r in events:
        src, dst, tok = r[src_i], r[dst_i], r[TOKEN]
        if dst in seed_set:
            continue
        v = int(r[VALUE])
        is_seed = src in seed_set
        s_hop: int | None
        if is_seed:
            carried, s_hop, s_paths = v * MICRO, 0, 1
        elif src in inner:
            s = states.get((src, tok))
            if s is None:
                s = states[(src, tok)] = _State()
            carried = _spend(s, v, model)
            s_hop, s_paths = s.hop, s.paths
        else:
            carried, s_hop, s_paths = 0, None, 0
        emit = carried > 0 and s_hop is not None and s_hop < hops
        if dst in inner:
            d = states.get((dst, tok))
            if d is None:
                d = states[(dst, tok)] = _State()
            # taint that may not travel further (beyond the hop limit) arrives clean
            _receive(d, v, carried if emit else 0, model)
            if emit and s_hop is not None:
                d.hop = s_hop + 1 if d.hop is None else min(d.hop, s_hop + 1)
                d.paths = min(d.paths + s_paths, _BIGINT_MAX)
                if model == "poison":
                    d.poisoned = True
        if not emit or s_hop is None:
            continue
        edges.append(TraceEdge(s_hop + 1, int(r[CHAIN]), str(r[TX]), None if r[LOG] is None else int(r[LOG]),
                               r[TRACE_ADDR], tok, r[FROM], r[TO], r[TIME], int(r[BLOCK]), v, carried, is_seed))
        edge_paths.append(s_paths)

    # 4. cash-out points: labelled stop addresses that received taint
    points: dict[tuple[str, str], list[Any]] = {}
    path_of: dict[tuple[str, str], int] = {}
    for e, paths in zip(edges, edge_paths, strict=True):
        dst = e.to_address if forward else e.from_address
        if dst not in stop:
            continue
        key = (dst, e.token)
        p = points.setdefault(key, [0, e.time_utc, e.time_utc])
        p[0] += e.tainted_micro
        p[1] = min(p[1], e.time_utc)
        p[2] = max(p[2], e.time_utc)
        path_of[key] = min(path_of.get(key, 0) + paths, _BIGINT_MAX)
    cash_out = [CashOutPoint(a, str(labels[a]["entity"]), str(labels[a]["category"]), tok, p[0], p[1], p[2],
                             path_of[(a, tok)])
                for (a, tok), p in points.items()]
    cash_out.sort(key=lambda c: (-c.tainted_micro, c.address, c.token))
    edges.sort(key=lambda e: (e.hop, e.time_utc, e.tx_hash, -1 if e.log_index is None else e.log_index))
    return TraceResult(uuid.uuid4().hex, model, direction, hops, seed_list, edges, cash_out)


def _spend(s: _State, v: int, model: str) -> int:
    """Taint (micro-units) carried by a transfer of ``v`` raw units leaving state ``s``; updates ``s``."""
    if model == "poison":
        s.balance = max(s.balance - v, 0)
        return v * MICRO if s.poisoned else 0
    if model == "haircut":
        if s.balance <= 0:
            carried = 0
        elif v >= s.balance:
            carried = s.tainted
        else:
            carried = s.tainted * v // s.balance
        s.tainted -= carried
        s.balance = max(s.balance - v, 0)
        return carried
    # fifo
    need, carried = v, 0
    while need > 0 and s.lots:
        amount, tainted = s.lots[0]
        take = min(amount, need)
        if tainted:
            carried += take * MICRO
        if take == amount:
            s.lots.popleft()
        else:
            s.lots[0] = (amount - take, tainted)
        need -= take
    s.balance = max(s.balance - v, 0)
    return carried


def _receive(d: _State, v: int, carried: int, model: str) -> None:
    d.balance += v
    if model == "haircut":
        d.tainted += carried
    elif model == "fifo":
        tainted_raw = carried // MICRO
        if tainted_raw:
            d.lots.append((tainted_raw, True))
        if v - tainted_raw:
            d.lots.append((v - tainted_raw, False))


def store(ws: Workspace, result: TraceResult, actor: str = "cli") -> None:
    """Keep a trace's flow graph and cash-out points (trace_runs, trace_edges, trace_cash_out_points)."""
    edge_table = pa.table({
        "trace_id": [result.trace_id] * len(result.edges),
        "hop": [e.hop for e in result.edges],
        "chain_id": [e.chain_id for e in result.edges],
        "tx_hash": [e.tx_hash for e in result.edges],
        "log_index": pa.array([e.log_index for e in result.edges], pa.int64()),
        "trace_address": pa.array([e.trace_address for e in result.edges], pa.string()),
        "token": [e.token for e in result.edges],
        "from_address": [e.from_address for e in result.edges],
        "to_address": [e.to_address for e in result.edges],
        "time_utc": pa.array([e.time_utc for e in result.edges], pa.timestamp("us", tz="UTC")),
        "block_number": [e.block_number for e in result.edges],
        "value": [str(e.value) for e in result.edges],
        "tainted": [str(e.tainted) for e in result.edges],
        "origin_is_seed": pa.array([e.origin_is_seed for e in result.edges], pa.bool_()),
    })
    with ws.db.write() as con:
        con.execute("INSERT INTO trace_runs VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [result.trace_id, utcnow(), result.model, result.direction, result.hops,
                     json.dumps(list(result.seeds)), len(result.edges), len(result.cash_out_points)]).fetchall()
        con.register("new_edges", edge_table)
        con.execute("INSERT INTO trace_edges SELECT trace_id, hop, chain_id, tx_hash, log_index, trace_address,"
                    " token, from_address, to_address, time_utc, block_number, value,"
                    " CAST(tainted AS DECIMAL(38,6)), origin_is_seed FROM new_edges").fetchall()
        con.unregister("new_edges")
        if result.cash_out_points:
            con.executemany("INSERT INTO trace_cash_out_points VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                            [[result.trace_id, c.address, c.entity, c.category, c.token, c.tainted_amount,
                              c.first_utc, c.last_utc, c.path_count] for c in result.cash_out_points])
        audit.record(con, ws.keys, ws.settings, actor=actor, action="trace", obj=f"trace:{result.trace_id}",
                     details={"model": result.model, "direction": result.direction, "hops": result.hops,
                              "seeds": len(result.seeds), "edges": len(result.edges),
                              "cash_out_points": len(result.cash_out_points)})


def trace(ws: Workspace, seeds: Iterable[str], model: str, hops: int = 5, direction: str = "forward",
          chain_id: int | None = None, token: str | None = None, actor: str = "cli",
          keep: bool = True) -> TraceResult:
    """Trace from the seeds and (with ``keep``) store the result for the app and reports."""
    with ws.db.read() as con:
        result = compute(con, seeds, model, hops, direction, chain_id, token)
    if keep:
        store(ws, result, actor)
    return result
