"""The one way keytrace identifies an exchange API key without keeping it.

``api_key_fingerprint(exchange, api_key) = sha256(lower(exchange) + ':' + api_key)`` in lower-case hex.
Leak dumps, the apiRestrictions record of an account, claims and the app all fingerprint keys here, so
that a key named in a claim matches the same key in a leaked dump. Only the API key (the public half)
is fingerprinted; secrets and passphrases are never passed in.
"""

from __future__ import annotations

import hashlib

from core.errors import InputError


def normalise_exchange(exchange: str) -> str:
    name = exchange.strip().lower()
    if not name:
        raise InputError("the exchange name is empty")
    return name


def api_key_fingerprint(exchange: str, api_key: str) -> str:
    """SHA-256 of ``lower(exchange) + ':' + api_key`` (the key with surrounding whitespace removed)."""
    key = api_key.strip()
    if not key:
        raise InputError("the API key is empty")
    return hashlib.sha256(f"{normalise_exchange(exchange)}:{key}".encode()).hexdigest()
