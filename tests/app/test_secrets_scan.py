from __future__ import annotations

import base64
import secrets

import pytest
from eth_account import Account
from eth_account.hdaccount.mnemonic import Language, Mnemonic

from app import secrets_scan
from core.errors import SecretRefusedError

STORY = ("On 2022-12-25 at 22:29 someone sold all my BTC and ETH and bought AKRO with my balance. I noticed "
         "it the next morning and disabled the key. My address is 0x52908400098527886E0F7030069857D2E4169EE7.")


def test_the_bip39_word_list_is_available_offline() -> None:
    words = secrets_scan.bip39_words()
    assert len(words) == 2048
    assert {"abandon", "zoo", "legal", "trade"} <= words


@pytest.mark.parametrize("text", [
    Account.create().key.hex(),                                  # 64 hex digits
    "my key is 0x" + secrets.token_hex(32),
    "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ",       # WIF (Bitcoin wiki example)
    "KwdMAjGmerYanjeui5SHS7JkmpZvVipYvB2LJGU1ZxJwYvP98617",      # compressed WIF
    "-----BEGIN RSA PRIVATE KEY-----\nMIIEow...\n-----END RSA PRIVATE KEY-----",
    "-----BEGIN EC PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----",
    Mnemonic(Language.ENGLISH).generate(12),
    "1. " + "\n2. ".join(Mnemonic(Language.ENGLISH).generate(24).split()),  # numbered on separate lines
    "secret: hunter2",
    "api secret = yes",
    "my binance secret is NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j",
    base64.b64encode(secrets.token_bytes(64)).decode(),          # Coinbase Pro style secret
])
def test_secrets_are_refused(text: str) -> None:
    assert secrets_scan.find_secret(text) is not None
    with pytest.raises(SecretRefusedError) as err:
        secrets_scan.check("what happened", text)
    message = str(err.value)
    assert message.startswith("what happened looks like")
    assert "never needs it" in message and "leak of stored secrets" in message
    assert text not in message  # the refusal never echoes the secret


@pytest.mark.parametrize("text", [
    STORY,
    "tx 0x" + "ab" * 32 + " moved my USDT to the attacker",
    "see https://etherscan.io/tx/0x" + "cd" * 32,
    "bc1qar0srrr7xfkvy5l643lydnw9re59gtzzwf5mdq",
    "about above abandon",                                       # a few BIP-39 words are normal English
    "I lost all my money when they bought MIR at nine times the price, around 300k EUR in total.",
    "+33 6 12 34 56 78",
    "vera@example.org",
])
def test_ordinary_text_passes(text: str) -> None:
    assert secrets_scan.find_secret(text) is None


def test_the_api_key_field_accepts_a_public_key_but_not_a_private_one() -> None:
    public = "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A"  # Binance doc example key
    assert secrets_scan.find_secret(public, api_key_field=True) is None
    assert secrets_scan.find_secret(public) == "an API secret"  # pasted into the story: refused
    assert secrets_scan.find_secret("0x" + secrets.token_hex(32), api_key_field=True) is not None
    assert secrets_scan.find_secret(Mnemonic(Language.ENGLISH).generate(12), api_key_field=True) is not None


def test_wif_checksum_is_checked() -> None:
    assert secrets_scan.is_wif("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ")
    assert not secrets_scan.is_wif("5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTK")
