from __future__ import annotations

import hashlib

import pytest

from core.errors import InputError
from core.fingerprint import api_key_fingerprint


def test_fingerprint_is_sha256_of_lower_exchange_colon_key() -> None:
    expected = hashlib.sha256(b"binance:AbCdEf123").hexdigest()
    assert api_key_fingerprint("Binance", "AbCdEf123") == expected
    assert api_key_fingerprint(" BINANCE ", " AbCdEf123\n") == expected


def test_fingerprint_keeps_key_case_and_separates_exchanges() -> None:
    assert api_key_fingerprint("binance", "abc") != api_key_fingerprint("binance", "ABC")
    assert api_key_fingerprint("binance", "abc") != api_key_fingerprint("kucoin", "abc")


def test_empty_key_or_exchange_is_refused() -> None:
    with pytest.raises(InputError, match="API key is empty"):
        api_key_fingerprint("binance", "  ")
    with pytest.raises(InputError, match="exchange name is empty"):
        api_key_fingerprint("", "abc")
