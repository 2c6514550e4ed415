"""Configuration: ``--db``, then environment variables, then an optional ``keytrace.toml``, then defaults.

Environment:
  KEYTRACE_DB            database file (default ./keytrace.duckdb)
  KEYTRACE_SECRET_KEY    32-byte master key, base64 or 64 hex digits (else the key file is used)
  KEYTRACE_KEY_FILE      key file (default <db>.key, created by `keytrace init`, mode 0600)
  KEYTRACE_EVIDENCE_DIR  evidence store (default <db>.evidence/)
  KEYTRACE_CONFIG        path of keytrace.toml (default ./keytrace.toml when present)

``keytrace.toml`` may hold ``db`` and the ``[detection]``, ``[signing]`` and ``[app]`` tables; each
module reads its own table through :meth:`Settings.section`. Any other table or key is refused (a typo
must not silently leave a setting at its default).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from core.errors import ConfigError

DEFAULT_DB = "keytrace.duckdb"
SECTIONS = ("detection", "signing", "app")   # queries/detect.py, reports/sign.py, app/auth.py


@dataclass(frozen=True)
class Settings:
    db_path: Path
    evidence_dir: Path
    key_file: Path
    secret_key_env: str | None = None
    sections: dict[str, dict[str, Any]] = field(default_factory=dict)

    def section(self, name: str) -> dict[str, Any]:
        return dict(self.sections.get(name, {}))

    @property
    def lock_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".lock")

    @property
    def audit_anchor_path(self) -> Path:
        return self.db_path.with_name(self.db_path.name + ".audit-head")


def load_settings(db: str | os.PathLike[str] | None = None,
                  env: dict[str, str] | None = None) -> Settings:
    env = dict(os.environ) if env is None else env
    cfg_path = env.get("KEYTRACE_CONFIG")
    sections: dict[str, dict[str, Any]] = {}
    path = Path(cfg_path) if cfg_path else Path("keytrace.toml")
    if cfg_path or path.exists():
        try:
            with path.open("rb") as fh:
                raw = tomllib.load(fh)
        except FileNotFoundError as exc:
            raise ConfigError(f"configuration file {path} does not exist") from exc
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"configuration file {path} is not valid TOML: {exc}") from exc
        unknown = sorted(k for k in raw if k != "db" and k not in SECTIONS)
        if unknown:
            raise ConfigError(f"configuration file {path} has {', '.join(repr(k) for k in unknown)}, which keytrace "
                              f"does not read; it knows db and the tables {', '.join(f'[{t}]' for t in SECTIONS)}")
        bad = [k for k in SECTIONS if k in raw and not isinstance(raw[k], dict)]
        if bad:
            raise ConfigError(f"configuration file {path}: {bad[0]} must be a table ([{bad[0]}])")
        sections = {k: v for k, v in raw.items() if isinstance(v, dict)}
        if db is None and not env.get("KEYTRACE_DB") and isinstance(raw.get("db"), str):
            db = raw["db"]  # the file's `db` is below --db and $KEYTRACE_DB, as the docstring says
    db_path = Path(db or env.get("KEYTRACE_DB") or DEFAULT_DB).expanduser().resolve()
    evidence_dir = Path(env.get("KEYTRACE_EVIDENCE_DIR") or db_path.with_name(db_path.name + ".evidence"))
    key_file = Path(env.get("KEYTRACE_KEY_FILE") or db_path.with_name(db_path.name + ".key"))
    return Settings(db_path=db_path, evidence_dir=evidence_dir.resolve(), key_file=key_file.resolve(),
                    secret_key_env=env.get("KEYTRACE_SECRET_KEY"), sections=sections)
