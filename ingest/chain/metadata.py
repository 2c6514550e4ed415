"""Token metadata (symbol, name, decimals) read from the token contract with ``eth_call``.

Real tokens are untidy: some return ``bytes32`` instead of ``string`` for symbol and name (MKR, SAI),
some revert, some have no such function, and some return a ``decimals`` no ERC-20 can have. Each case
is stored with what could be read and a ``note`` saying what was odd; a value that cannot be trusted is
left NULL rather than guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

from core.errors import RpcError
from ingest.chain.rpc import RpcClient

SYMBOL = "0x95d89b41"
NAME = "0x06fdde03"
DECIMALS = "0x313ce567"
MAX_DECIMALS = 77  # 10**78 > 2**256: more decimals cannot describe any uint256 amount


@dataclass(frozen=True)
class TokenMetadata:
    token: str
    symbol: str | None
    name: str | None
    decimals: int | None
    note: str | None


def _clean(text: str) -> str | None:
    text = text.replace("\x00", "").strip()
    text = "".join(ch for ch in text if ch.isprintable())
    return text[:200] or None


def decode_text(result: object) -> tuple[str | None, str | None]:
    """An ABI ``string`` or a ``bytes32`` return value as text, and a note when it was odd."""
    if not isinstance(result, str) or not result.startswith("0x"):
        return None, "no answer"
    raw = bytes.fromhex(result[2:]) if len(result) % 2 == 0 else b""
    if not raw:
        return None, "empty answer (no such function)"
    if len(raw) == 32:
        return _clean(raw.decode("utf-8", "replace")), "bytes32"
    if len(raw) >= 64:
        offset = int.from_bytes(raw[:32], "big")
        if offset + 32 <= len(raw):
            length = int.from_bytes(raw[offset:offset + 32], "big")
            body = raw[offset + 32: offset + 32 + length]
            if len(body) == length:
                return _clean(body.decode("utf-8", "replace")), None
    return None, "undecodable answer"


def decode_decimals(result: object) -> tuple[int | None, str | None]:
    if not isinstance(result, str) or not result.startswith("0x") or len(result) <= 2:
        return None, "empty answer (no such function)"
    try:
        value = int(result[:66], 16)
    except ValueError:
        return None, "undecodable answer"
    if value > MAX_DECIMALS:
        return None, f"returned {value}, not a plausible number of decimals; ignored"
    return value, None


def _failed(label: str, err: RpcError) -> str:
    return f"{label}() reverted" if "revert" in str(err).lower() else f"{label}() could not be read"


def fetch(client: RpcClient, tokens: list[str]) -> list[TokenMetadata]:
    calls = []
    for t in tokens:
        for sel in (SYMBOL, NAME, DECIMALS):
            calls.append(("eth_call", [{"to": t, "data": sel}, "latest"]))
    answers = client.batch(calls, keep_errors=True)
    out = []
    for i, t in enumerate(tokens):
        sym_raw, name_raw, dec_raw = answers[3 * i: 3 * i + 3]
        notes = []
        symbol = name = None
        decimals = None
        for label, raw in (("symbol", sym_raw), ("name", name_raw)):
            if isinstance(raw, RpcError):
                notes.append(_failed(label, raw))
                continue
            text, note = decode_text(raw)
            if note:
                notes.append(f"{label} is bytes32" if note == "bytes32" else f"{label}(): {note}")
            if label == "symbol":
                symbol = text
            else:
                name = text
        if isinstance(dec_raw, RpcError):
            notes.append(_failed("decimals", dec_raw))
        else:
            decimals, note = decode_decimals(dec_raw)
            if note:
                notes.append(f"decimals(): {note}")
        out.append(TokenMetadata(t, symbol, name, decimals, "; ".join(notes) or None))
    return out
