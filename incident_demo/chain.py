"""The attackers' cash-out on Ethereum: withdrawals of the proceeds, hops, and labelled exits.

Written as ethereum-etl outputs (token_transfers CSV and JSONL, blocks JSONL, with the exact columns
and keys of ../shared/realdata/onchain) plus an address-label CSV. Blocks follow the real post-Merge
slot clock (block 15537394 at 2022-09-15 06:42:42 UTC, one block per 12 s).
"""

from __future__ import annotations

import hashlib
import json
import random
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import ROUND_FLOOR, Decimal
from typing import Any

CHAIN_ID = 1
USDT = "0xdac17f958d2ee523a2206206994597c13d831ec7"   # Tether USD, 6 decimals
USDC = "0xa0b86991c6218b36c1d19d4a2e9eb0ce3606eb48"   # USD Coin, 6 decimals
MERGE_BLOCK, MERGE_TIME = 15537394, int(datetime(2022, 9, 15, 6, 42, 42, tzinfo=UTC).timestamp())

TOKEN_TRANSFERS_CSV = "token_address,from_address,to_address,value,transaction_hash,log_index,block_number"  # noqa: S105
LABELS_CSV = "chain_id,address,entity,category,source,confidence"
_BLOCK_KEYS = ("type", "number", "hash", "parent_hash", "nonce", "sha3_uncles", "logs_bloom", "transactions_root",
               "state_root", "receipts_root", "miner", "difficulty", "total_difficulty", "size", "extra_data",
               "gas_limit", "gas_used", "timestamp", "transaction_count", "base_fee_per_gas", "withdrawals_root",
               "withdrawals", "item_id", "item_timestamp")


def block_of(t: int) -> int:
    return MERGE_BLOCK + (t - MERGE_TIME) // 12


def block_time(number: int) -> int:
    return MERGE_TIME + (number - MERGE_BLOCK) * 12


@dataclass
class Transfer:
    t: int
    token: str
    from_address: str
    to_address: str
    value: int                 # raw uint256
    role: str                  # attacker_withdrawal | hop | cash_out | victim_withdrawal | noise
    campaign: str | None = None
    tx_hash: str = ""
    block: int = 0
    log_index: int = 0


class Chain:
    def __init__(self, seed: int) -> None:
        self.seed = seed
        self.rng = random.Random(f"keytrace-demo-chain:{seed}")
        self.transfers: list[Transfer] = []
        self.labels: list[tuple[str, str, str, int]] = []   # address, entity, category, confidence
        self.attacker_addresses: dict[str, list[str]] = {}  # campaign -> addresses
        self.hot = {"binance": self.address("hot:binance"), "kucoin": self.address("hot:kucoin")}
        self.exits = {
            "OKX: deposit": (self.address("exit:okx"), "exchange"),
            "Huobi: deposit": (self.address("exit:huobi"), "exchange"),
            "Tornado Cash: USDT pool": (self.address("exit:tornado"), "mixer"),
            "Multichain: router": (self.address("exit:multichain"), "bridge"),
        }
        self.labels += [(self.hot["binance"], "Binance: hot wallet", "exchange", 95),
                        (self.hot["kucoin"], "KuCoin: hot wallet", "exchange", 95)]
        self.labels += [(addr, entity, category, 90) for entity, (addr, category) in self.exits.items()]
        self.master = self.address("attacker:master")

    def address(self, label: str) -> str:
        return "0x" + hashlib.sha256(f"keytrace-demo-address:{self.seed}:{label}".encode()).hexdigest()[:40]

    def _hash(self, *parts: object) -> str:
        return "0x" + hashlib.sha256(":".join(str(p) for p in (self.seed, *parts)).encode()).hexdigest()

    def add(self, tr: Transfer) -> Transfer:
        self.transfers.append(tr)
        return tr

    # --------------------------------------------------------------------------------- flows
    def cash_out(self, cid: str, exchange: str, end: int, proceeds_usd: Decimal) -> None:
        """Proceeds leave the venue to a fresh address, consolidate, split and reach labelled exits."""
        rng = random.Random(f"keytrace-demo-cashout:{self.seed}:{cid}")
        total = int((proceeds_usd * Decimal("0.85") * 10**6).to_integral_value(rounding=ROUND_FLOOR))
        if total <= 0:
            return
        drop = self.address(f"attacker:{cid}:drop")
        hub = self.address(f"attacker:{cid}:hub")
        left, right = self.address(f"attacker:{cid}:split1"), self.address(f"attacker:{cid}:split2")
        self.attacker_addresses[cid] = [drop, hub, left, right]
        t = end + rng.randint(1800, 4 * 3600)
        parts = _split_int(total, rng.randint(2, 3), rng)
        for p in parts:
            self.add(Transfer(t, USDT, self.hot[exchange], drop, p, "attacker_withdrawal", cid))
            t += rng.randint(300, 1800)
        t += rng.randint(1800, 5400)
        self.add(Transfer(t, USDT, drop, hub, total, "hop", cid))
        t += rng.randint(600, 3600)
        a = total * rng.randint(35, 65) // 100
        self.add(Transfer(t, USDT, hub, left, a, "hop", cid))
        self.add(Transfer(t + 24, USDT, hub, right, total - a, "hop", cid))
        t += rng.randint(3600, 6 * 3600)
        # left: straight into the mixer in round amounts, the rest over the bridge
        mixer, _ = self.exits["Tornado Cash: USDT pool"]
        bridge, _ = self.exits["Multichain: router"]
        chunk = 100_000 * 10**6
        sent = 0
        while a - sent >= chunk and sent < a * 3 // 4:
            self.add(Transfer(t, USDT, left, mixer, chunk, "cash_out", cid))
            sent += chunk
            t += rng.randint(120, 900)
        self.add(Transfer(t, USDT, left, bridge, a - sent, "cash_out", cid))
        # right: through the attackers' shared consolidation address, out through exchanges later
        self.add(Transfer(t + rng.randint(60, 600), USDT, right, self.master, total - a, "hop", cid))

    def master_exit(self, after: int) -> None:
        """The shared consolidation address pays out to two exchanges, FIFO over what it received."""
        rng = random.Random(f"keytrace-demo-master:{self.seed}")
        received = sum(tr.value for tr in self.transfers if tr.to_address == self.master)
        if received <= 0:
            return
        t = max(after, max(tr.t for tr in self.transfers if tr.to_address == self.master)) + rng.randint(3600, 7200)
        okx, _ = self.exits["OKX: deposit"]
        huobi, _ = self.exits["Huobi: deposit"]
        first = received * rng.randint(40, 60) // 100
        self.add(Transfer(t, USDT, self.master, okx, first, "cash_out", None))
        self.add(Transfer(t + rng.randint(600, 3600), USDT, self.master, huobi, received - first, "cash_out", None))

    def victim_withdrawal(self, exchange: str, wallet: str, t: int, amount: Decimal) -> Transfer:
        return self.add(Transfer(t, USDT, self.hot[exchange], wallet, int(amount * 10**6), "victim_withdrawal"))

    def noise(self, count: int, start: int, end: int) -> None:
        """Unrelated transfers: users withdrawing, depositing to the same exchanges, and each other."""
        rng = self.rng
        users = [self.address(f"user:{i}") for i in range(max(count // 3, 4))]
        okx, _ = self.exits["OKX: deposit"]
        for _ in range(count):
            t = rng.randint(start, end)
            token = USDT if rng.random() < 0.7 else USDC
            value = rng.randint(5, 50_000) * 10**6 + rng.randint(0, 999_999)
            kind = rng.randint(0, 3)
            a, b = rng.sample(users, 2)
            src = self.hot[rng.choice(["binance", "kucoin"])] if kind == 0 else a
            dst = okx if kind == 1 else b
            self.add(Transfer(t, token, src, dst, value, "noise"))

    # --------------------------------------------------------------------------------- files
    def finalize(self) -> None:
        """Give every transfer its block, transaction hash and log index (deterministic order)."""
        self.transfers.sort(key=lambda tr: (tr.t, tr.from_address, tr.to_address, tr.value))
        per_block: dict[int, int] = {}
        for i, tr in enumerate(self.transfers):
            tr.block = block_of(tr.t)
            tr.t = block_time(tr.block)
            tr.log_index = per_block.get(tr.block, self.rng.randint(0, 120))
            per_block[tr.block] = tr.log_index + self.rng.randint(1, 9)
            tr.tx_hash = self._hash("tx", i, tr.block, tr.from_address, tr.to_address, tr.value)

    def block_hash(self, number: int) -> str:
        return self._hash("block", number)

    def token_transfers_csv(self) -> bytes:
        lines = [TOKEN_TRANSFERS_CSV + "\n"]
        for tr in self.transfers:
            lines.append(f"{tr.token},{tr.from_address},{tr.to_address},{tr.value},{tr.tx_hash},{tr.log_index},"
                         f"{tr.block}\n")
        return "".join(lines).encode()

    def token_transfers_jsonl(self) -> bytes:
        lines = []
        for tr in self.transfers:
            lines.append(json.dumps({
                "type": "token_transfer", "token_address": tr.token, "from_address": tr.from_address,
                "to_address": tr.to_address, "value": tr.value, "transaction_hash": tr.tx_hash,
                "log_index": tr.log_index, "block_number": tr.block, "block_timestamp": tr.t,
                "block_hash": self.block_hash(tr.block),
                "item_id": f"token_transfer_{tr.tx_hash}_{tr.log_index}", "item_timestamp": _iso(tr.t)}) + "\n")
        return "".join(lines).encode()

    def blocks_jsonl(self) -> bytes:
        lines = []
        for number in sorted({tr.block for tr in self.transfers}):
            rng = random.Random(f"keytrace-demo-block:{self.seed}:{number}")
            t = block_time(number)
            doc: dict[str, Any] = {
                "type": "block", "number": number, "hash": self.block_hash(number),
                "parent_hash": self.block_hash(number - 1), "nonce": "0x0000000000000000",
                "sha3_uncles": "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347",
                "logs_bloom": "0x" + "".join(rng.choices("0123456789abcdef", k=512)),
                "transactions_root": self._hash("txroot", number), "state_root": self._hash("state", number),
                "receipts_root": self._hash("receipts", number),
                "miner": rng.choice(["0x95222290dd7278aa3ddd389cc1e1d165cc4bafe5",
                                     "0x690b9a9e9aa1c9db991c7721a92d351db4fac990",
                                     "0xdafea492d9c6733ae3d56b7ed1adb60692c98bc5"]),
                "difficulty": 0, "total_difficulty": 58750003716598352816469, "size": rng.randint(20_000, 180_000),
                "extra_data": "0x6265617665726275696c642e6f7267", "gas_limit": 30000000,
                "gas_used": rng.randint(8_000_000, 29_000_000), "timestamp": t,
                "transaction_count": rng.randint(90, 320), "base_fee_per_gas": rng.randint(9, 40) * 10**9,
                "withdrawals_root": None, "withdrawals": [],
                "item_id": f"block_{self.block_hash(number)}", "item_timestamp": _iso(t)}
            assert tuple(doc) == _BLOCK_KEYS
            lines.append(json.dumps(doc) + "\n")
        return "".join(lines).encode()

    def labels_csv(self) -> bytes:
        lines = [LABELS_CSV + "\n"]
        for address, entity, category, confidence in self.labels:
            lines.append(f"{CHAIN_ID},{address},{entity},{category},keytrace demo labels,{confidence}\n")
        return "".join(lines).encode()

    def cash_out_points(self) -> list[dict[str, Any]]:
        """What reached each labelled exit from attacker addresses: the subpoena list."""
        attacker = {a for addrs in self.attacker_addresses.values() for a in addrs} | {self.master}
        entity_of = {addr: (entity, cat) for entity, (addr, cat) in self.exits.items()}
        out: dict[str, dict[str, Any]] = {}
        for tr in self.transfers:
            if tr.role != "cash_out" or tr.from_address not in attacker:
                continue
            entity, cat = entity_of[tr.to_address]
            row = out.setdefault(tr.to_address, {"address": tr.to_address, "entity": entity, "category": cat,
                                                 "token": tr.token, "amount_raw": 0, "transfers": 0,
                                                 "first_time_utc": _iso(tr.t), "last_time_utc": _iso(tr.t)})
            row["amount_raw"] += tr.value
            row["transfers"] += 1
            row["last_time_utc"] = _iso(tr.t)
        return [out[k] for k in sorted(out)]


def _iso(t: int) -> str:
    return datetime.fromtimestamp(t, tz=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _split_int(total: int, parts: int, rng: random.Random) -> list[int]:
    weights = [rng.randint(30, 100) for _ in range(parts)]
    out = [total * w // sum(weights) for w in weights[:-1]]
    return [*out, total - sum(out)]
