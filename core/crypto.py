"""Encryption at rest: AES-256-GCM for evidence files and personal-data columns.

One 32-byte master key (``KEYTRACE_SECRET_KEY`` or the 0600 key file made by ``keytrace init``)
derives, through HKDF-SHA256, a separate key per purpose: evidence files, database fields, keyed
lookup indexes and the audit anchor. Nothing here ever writes a key to a log or an error.

Evidence files are encrypted in 1 MiB chunks (the STREAM construction): each chunk is sealed with a
nonce made of a random 8-byte file prefix and the chunk counter, and its associated data binds the
file's SHA-256, the chunk index and a last-chunk flag, so chunks cannot be reordered, dropped,
truncated or moved to another file without detection. Files of any size stream in constant memory.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from core.config import Settings
from core.errors import ConfigError, EvidenceTamperedError

CHUNK = 1 << 20


class Readable(Protocol):
    def read(self, size: int = -1, /) -> bytes: ...
FILE_MAGIC = b"KTEV1"
FIELD_VERSION = b"\x01"


def _derive(master: bytes, purpose: str) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=b"keytrace-v1",
                info=purpose.encode()).derive(master)


def derive_key(master: bytes, purpose: str) -> bytes:
    """A 32-byte key for one more purpose (e.g. 'backup-manifest'), derived like the keyring's own."""
    return _derive(master, purpose)


def parse_key(text: str) -> bytes:
    text = text.strip()
    raw: bytes | None = None
    if len(text) == 64:
        try:
            raw = bytes.fromhex(text)
        except ValueError:
            raw = None
    if raw is None:
        try:
            raw = base64.b64decode(text, validate=True)
        except (binascii.Error, ValueError):
            raw = None
    if raw is None or len(raw) != 32:
        raise ConfigError("the secret key must be 32 bytes, written as 64 hex digits or base64")
    return raw


def create_key_file(path: Path) -> None:
    """Write a new random master key with mode 0600; never overwrites an existing file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_bytes(32).hex() + "\n")


def load_master_key(settings: Settings) -> bytes:
    if settings.secret_key_env:
        return parse_key(settings.secret_key_env)
    path = settings.key_file
    if not path.exists():
        raise ConfigError(f"no secret key: set KEYTRACE_SECRET_KEY or run `keytrace init` to create {path}")
    mode = path.stat().st_mode & 0o777
    if mode & 0o077:
        raise ConfigError(f"key file {path} is readable by others (mode {mode:o}); run chmod 600 on it")
    return parse_key(path.read_text())


@dataclass(frozen=True)
class Keyring:
    evidence: bytes
    field: bytes
    index: bytes
    audit: bytes

    @classmethod
    def from_master(cls, master: bytes) -> Keyring:
        return cls(evidence=_derive(master, "evidence"), field=_derive(master, "field"),
                   index=_derive(master, "index"), audit=_derive(master, "audit"))

    @classmethod
    def load(cls, settings: Settings) -> Keyring:
        return cls.from_master(load_master_key(settings))

    # -- personal-data columns -------------------------------------------------------------
    def seal(self, text: str | None, purpose: str) -> bytes | None:
        """Encrypt one personal datum; ``purpose`` (e.g. 'claims.statement') is bound as AAD."""
        if text is None:
            return None
        nonce = secrets.token_bytes(12)
        return FIELD_VERSION + nonce + AESGCM(self.field).encrypt(nonce, text.encode(), purpose.encode())

    def open(self, blob: bytes | None, purpose: str) -> str | None:
        if blob is None:
            return None
        blob = bytes(blob)
        if blob[:1] != FIELD_VERSION or len(blob) < 29:
            raise EvidenceTamperedError(f"an encrypted {purpose} value is malformed")
        try:
            return AESGCM(self.field).decrypt(blob[1:13], blob[13:], purpose.encode()).decode()
        except InvalidTag as exc:
            raise EvidenceTamperedError(f"an encrypted {purpose} value was altered or the key is wrong") from exc

    def lookup_index(self, text: str, purpose: str) -> str:
        """Keyed HMAC for equality lookups on an encrypted column (e.g. e-mail)."""
        return hmac.new(self.index, f"{purpose}\x00{text}".encode(), hashlib.sha256).hexdigest()

    def mac(self, data: bytes) -> str:
        return hmac.new(self.audit, data, hashlib.sha256).hexdigest()

    # -- evidence files --------------------------------------------------------------------
    def encrypt_stream(self, src: Readable, dst: BinaryIO, sha256_hex: str) -> None:
        prefix = secrets.token_bytes(8)
        dst.write(FILE_MAGIC + prefix)
        aes = AESGCM(self.evidence)
        index = 0
        chunk = src.read(CHUNK)
        while True:
            nxt = src.read(CHUNK)
            last = not nxt
            nonce = prefix + struct.pack(">I", index)
            aad = sha256_hex.encode() + struct.pack(">IB", index, 1 if last else 0)
            sealed = aes.encrypt(nonce, chunk, aad)
            dst.write(struct.pack(">I", len(sealed)) + sealed)
            if last:
                return
            chunk = nxt
            index += 1

    def decrypt_stream(self, src: BinaryIO, sha256_hex: str) -> Iterator[bytes]:
        head = src.read(len(FILE_MAGIC) + 8)
        if head[: len(FILE_MAGIC)] != FILE_MAGIC or len(head) != len(FILE_MAGIC) + 8:
            raise EvidenceTamperedError(f"stored evidence {sha256_hex[:12]} has a damaged header")
        prefix = head[len(FILE_MAGIC):]
        aes = AESGCM(self.evidence)
        index = 0
        while True:
            size_raw = src.read(4)
            if len(size_raw) != 4:
                raise EvidenceTamperedError(f"stored evidence {sha256_hex[:12]} is truncated")
            (size,) = struct.unpack(">I", size_raw)
            if size > CHUNK + 16:
                raise EvidenceTamperedError(f"stored evidence {sha256_hex[:12]} has a damaged chunk")
            sealed = src.read(size)
            nonce = prefix + struct.pack(">I", index)
            for last in (0, 1):
                aad = sha256_hex.encode() + struct.pack(">IB", index, last)
                try:
                    plain = aes.decrypt(nonce, sealed, aad)
                except InvalidTag:
                    continue
                yield plain
                if last:
                    if src.read(1):
                        raise EvidenceTamperedError(f"stored evidence {sha256_hex[:12]} has trailing data")
                    return
                break
            else:
                raise EvidenceTamperedError(
                    f"stored evidence {sha256_hex[:12]} was altered (chunk {index} fails authentication)")
            index += 1
