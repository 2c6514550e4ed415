"""A workspace bundles what every operation needs: settings, the database and the keyring."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import cached_property

from core.config import Settings, load_settings
from core.crypto import Keyring, create_key_file
from core.db import Database


@dataclass
class Workspace:
    settings: Settings
    lock_timeout: float = 120.0
    _db: Database | None = field(default=None, repr=False)

    @classmethod
    def open(cls, db: str | os.PathLike[str] | None = None, lock_timeout: float = 120.0) -> Workspace:
        return cls(load_settings(db), lock_timeout=lock_timeout)

    @property
    def db(self) -> Database:
        if self._db is None:
            self._db = Database(self.settings, lock_timeout=self.lock_timeout)
        return self._db

    @cached_property
    def keys(self) -> Keyring:
        return Keyring.load(self.settings)

    def init(self) -> list[int]:
        """Create the key file (unless a key is in the environment), the evidence folder, and migrate."""
        if not self.settings.secret_key_env and not self.settings.key_file.exists():
            create_key_file(self.settings.key_file)
        self.settings.evidence_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        return self.db.migrate()
