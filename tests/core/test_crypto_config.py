from __future__ import annotations

import os
from pathlib import Path

import pytest

from core.config import load_settings
from core.crypto import Keyring, load_master_key, parse_key
from core.errors import ConfigError, EvidenceTamperedError


def test_key_from_environment_hex_and_base64(tmp_path: Path) -> None:
    key = os.urandom(32)
    import base64

    for text in (key.hex(), base64.b64encode(key).decode()):
        s = load_settings(tmp_path / "x.duckdb", env={"KEYTRACE_SECRET_KEY": text})
        assert load_master_key(s) == key


def test_bad_key_is_refused_without_echoing_it() -> None:
    with pytest.raises(ConfigError) as err:
        parse_key("not-a-key-hunter2")
    assert "hunter2" not in str(err.value)


def test_world_readable_key_file_is_refused(tmp_path: Path) -> None:
    s = load_settings(tmp_path / "x.duckdb", env={})
    s.key_file.write_text(os.urandom(32).hex())
    os.chmod(s.key_file, 0o644)
    with pytest.raises(ConfigError, match="chmod 600"):
        load_master_key(s)


def test_field_seal_roundtrip_and_purpose_binding() -> None:
    keys = Keyring.from_master(os.urandom(32))
    blob = keys.seal("Alice Example", "users.name")
    assert blob is not None and b"Alice" not in blob
    assert keys.open(blob, "users.name") == "Alice Example"
    with pytest.raises(EvidenceTamperedError):
        keys.open(blob, "claims.statement")  # moved to another column
    other = Keyring.from_master(os.urandom(32))
    with pytest.raises(EvidenceTamperedError):
        other.open(blob, "users.name")


def test_config_file_sections(tmp_path: Path) -> None:
    cfg = tmp_path / "keytrace.toml"
    cfg.write_text('db = "from-toml.duckdb"\n[detection]\nprice_ratio = 3.0\n')
    s = load_settings(env={"KEYTRACE_CONFIG": str(cfg)})
    assert s.db_path.name == "from-toml.duckdb"
    assert s.section("detection") == {"price_ratio": 3.0}
    # $KEYTRACE_DB and --db come before the file's db
    env = {"KEYTRACE_CONFIG": str(cfg), "KEYTRACE_DB": str(tmp_path / "from-env.duckdb")}
    assert load_settings(env=env).db_path.name == "from-env.duckdb"
    assert load_settings(tmp_path / "given.duckdb", env=env).db_path.name == "given.duckdb"
    cfg.write_text('[chain]\nrpc_url = "http://127.0.0.1:8545"\n')
    with pytest.raises(ConfigError, match=r"has 'chain', which keytrace does not read; it knows db and the tables "
                                          r"\[detection\], \[signing\], \[app\]"):
        load_settings(env={"KEYTRACE_CONFIG": str(cfg)})
    cfg.write_text("not = [valid")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_settings(env={"KEYTRACE_CONFIG": str(cfg)})
