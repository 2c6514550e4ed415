"""Refuse secrets before they reach the database: API secrets, private keys and seed phrases.

The 3Commas incident was itself a leak of stored API secrets. keytrace therefore never asks for, and
never accepts, anything that lets its holder act for the victim:

* to identify an exchange API key it needs only the key's public half, which it fingerprints at once
  (core.fingerprint) and compares with the fingerprints of the leaked dump;
* to prove that a wallet is the victim's it needs only a signature over a one-time challenge
  (EIP-191), which proves control without revealing the key;
* to measure a loss it needs the exchange's own exports.

So a field that looks like an API secret, a private key (64 hex digits, WIF, PEM) or a seed phrase is
refused with :class:`core.errors.SecretRefusedError`, whose sentence says why.

Seed phrases are recognised with the BIP-39 English word list that ships inside the eth-account
package (``eth_account/hdaccount/wordlist/english.txt``), so no network is needed. keytrace uses that
list for this one purpose: it never derives keys from a phrase, never stores one, and would refuse
its own phrases; the list only tells it that twelve or more words in a row are all BIP-39 words.
"""

from __future__ import annotations

import hashlib
import math
import re
from collections.abc import Mapping
from functools import cache
from importlib import resources

from core.errors import ConfigError, SecretRefusedError

WHY = ("keytrace never needs it: the 3Commas incident was itself a leak of stored secrets, and a claim is "
       "verified with the API key's public part, your exchange exports and a wallet signature only; "
       "remove it, and if you have shared it anywhere, revoke it now")

SEED_WORDS_MIN = 12

_PEM = re.compile(r"-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----|-----BEGIN OPENSSH PRIVATE KEY-----|"
                  r"-----BEGIN PGP PRIVATE KEY BLOCK-----")
_HEX64 = re.compile(r"(?<![0-9A-Za-z])(0x)?([0-9a-fA-F]{64})(?![0-9A-Za-z])")
_TX_CONTEXT = re.compile(r"(tx|txid|txn|hash|transaction|/tx/)\W{0,3}$", re.IGNORECASE)
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
_WIF_CANDIDATE = re.compile(r"(?<![0-9A-Za-z])([5KLc9][1-9A-HJ-NP-Za-km-z]{50,51})(?![0-9A-Za-z])")
_TOKEN = re.compile(r"[A-Za-z0-9+/=_\-]{32,}")
_ETH_ADDRESS = re.compile(r"^0x[0-9a-fA-F]{40}$")
_BECH32_ADDRESS = re.compile(r"^(bc1|tb1|ltc1)[ac-hj-np-z02-9]{8,87}$")
_SECRET_LABEL = re.compile(r"\b(secret|passphrase|private\s*key|priv\s*key|mnemonic|seed)\b\s*[:=]",
                           re.IGNORECASE)


@cache
def bip39_words() -> frozenset[str]:
    """The 2048 BIP-39 English words, from eth-account's package data (offline)."""
    try:
        text = (resources.files("eth_account") / "hdaccount" / "wordlist" / "english.txt").read_text()
    except (FileNotFoundError, ModuleNotFoundError) as exc:  # pragma: no cover - packaging fault
        raise ConfigError("the BIP-39 word list is missing from eth-account; reinstall keytrace") from exc
    words = frozenset(w.strip() for w in text.split() if w.strip())
    if len(words) != 2048:  # pragma: no cover - packaging fault
        raise ConfigError(f"the BIP-39 word list has {len(words)} words instead of 2048")
    return words


def _b58decode(s: str) -> bytes | None:
    n = 0
    for ch in s:
        i = _B58.find(ch)
        if i < 0:
            return None
        n = n * 58 + i
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    pad = len(s) - len(s.lstrip("1"))
    return b"\x00" * pad + raw


def is_wif(s: str) -> bool:
    """A Wallet Import Format private key: base58check, version 0x80/0xef, 32 bytes (+0x01 compressed)."""
    raw = _b58decode(s)
    if raw is None or len(raw) not in (37, 38) or raw[0] not in (0x80, 0xEF):
        return False
    if len(raw) == 38 and raw[33] != 0x01:
        return False
    body, check = raw[:-4], raw[-4:]
    return hashlib.sha256(hashlib.sha256(body).digest()).digest()[:4] == check


def longest_seed_run(text: str) -> int:
    """The longest run of consecutive words that are all BIP-39 words."""
    words = bip39_words()
    best = run = 0
    for token in re.findall(r"[A-Za-z]+|[^A-Za-z\s]+", text):
        if token.lower() in words:
            run += 1
            best = max(best, run)
        elif re.fullmatch(r"[0-9.,;:()'\"#-]+", token):
            continue  # numbering or commas between the words of a phrase
        else:
            run = 0
    return best


def _entropy(s: str) -> float:
    counts: dict[str, int] = {}
    for ch in s:
        counts[ch] = counts.get(ch, 0) + 1
    return -sum(c / len(s) * math.log2(c / len(s)) for c in counts.values())


def _looks_like_api_secret(token: str) -> bool:
    if _ETH_ADDRESS.match(token) or _BECH32_ADDRESS.match(token) or token.startswith("http"):
        return False
    classes = sum(bool(re.search(p, token)) for p in (r"[a-z]", r"[A-Z]", r"[0-9]"))
    return classes >= 2 and _entropy(token) >= 3.5


def find_secret(text: str, *, api_key_field: bool = False) -> str | None:
    """What kind of secret ``text`` seems to hold, or None.

    ``api_key_field`` is for the field that asks for the API key's public part: long random tokens are
    expected there, but PEM blocks, WIF keys, seed phrases and bare 64-hex private keys are still refused.
    """
    if not text:
        return None
    if _PEM.search(text):
        return "a private key (PEM block)"
    for m in _WIF_CANDIDATE.finditer(text):
        if is_wif(m.group(1)):
            return "a private key (WIF)"
    for m in _HEX64.finditer(text):
        before = text[max(0, m.start() - 16):m.start()]
        if m.group(1) and _TX_CONTEXT.search(before):
            continue  # "tx 0x..." or an explorer link: a transaction hash, not a key
        return "a private key (64 hexadecimal digits)"
    if longest_seed_run(text) >= SEED_WORDS_MIN:
        return "a wallet seed phrase"
    if _SECRET_LABEL.search(text):
        return "an API secret or passphrase"
    if not api_key_field:
        for m in _TOKEN.finditer(text):
            if _looks_like_api_secret(m.group(0)):
                return "an API secret"
    elif len(text.strip()) > 100 or re.fullmatch(r"[A-Za-z0-9+/]{80,}={0,2}", text.strip()):
        return "an API secret"
    return None


def check(field_label: str, text: str | None, *, api_key_field: bool = False) -> None:
    """Raise :class:`SecretRefusedError` naming the field when ``text`` looks like a secret."""
    if text is None:
        return
    kind = find_secret(text, api_key_field=api_key_field)
    if kind is not None:
        raise SecretRefusedError(f"{field_label} looks like {kind}, which keytrace refuses to store; {WHY}",
                                 column=field_label)


def check_all(fields: Mapping[str, str | None], *, api_key_field: str | None = None) -> None:
    for label, value in fields.items():
        check(label, value, api_key_field=(label == api_key_field))
