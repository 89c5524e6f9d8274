"""Secrets at rest: webhook source secrets (and platform tokens) are sealed with Fernet
(AES-128-CBC + HMAC-SHA256) under a key from the settings, never stored in plain text.

A stored value reads ``fernet:<token>``. A value without that prefix is a plain secret from
before encryption; ``open`` still returns it, and ``bootstrap`` seals such values on start.
Several keys may be given: the first seals, every one opens, so a key can be rotated
(``mentiondesk secrets rotate-key``) without losing what the old one sealed."""

from __future__ import annotations

import base64
import os
import secrets
from collections.abc import Sequence
from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

PREFIX = "fernet:"
KEY_FILE_NAME = "secret.key"


class SecretKeyError(RuntimeError):
    """No usable key: missing where one is required, or unable to open a stored secret."""


def _fernet(key: str) -> Fernet:
    """A Fernet for any key text of 16+ characters: HKDF turns it into the 32 bytes Fernet
    wants, so an operator may use any long random string."""
    derived = HKDF(
        algorithm=hashes.SHA256(), length=32, salt=None, info=b"mentiondesk secret box"
    ).derive(key.encode())
    return Fernet(base64.urlsafe_b64encode(derived))


def new_key() -> str:
    return secrets.token_urlsafe(32)


def split_keys(value: str) -> list[str]:
    """``MENTIONDESK_SECRET_KEY`` may list several keys, comma-separated, newest first."""
    return [k.strip() for k in value.split(",") if k.strip()]


class SecretBox:
    """Seals and opens short secrets. ``keys[0]`` seals; all of them open."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise SecretKeyError("a SecretBox needs at least one key")
        self._box = MultiFernet([_fernet(k) for k in keys])

    @staticmethod
    def is_sealed(stored: str) -> bool:
        return stored.startswith(PREFIX)

    def seal(self, plain: str) -> str:
        return PREFIX + self._box.encrypt(plain.encode()).decode()

    def open(self, stored: str) -> str:
        if not self.is_sealed(stored):
            return stored
        try:
            return self._box.decrypt(stored[len(PREFIX) :].encode()).decode()
        except InvalidToken:
            raise SecretKeyError(
                "a stored secret cannot be opened with MENTIONDESK_SECRET_KEY: "
                "the key changed without `mentiondesk secrets rotate-key`"
            ) from None

    def reseal(self, stored: str) -> str:
        """The value sealed under the first key (plain values are sealed too)."""
        return self.seal(self.open(stored))


def read_or_create_key_file(data_dir: Path) -> list[str]:
    """The keys in ``data_dir/secret.key``, created (mode 0600) with a new key on first run.
    Used in development and embedded installs only; production sets the key itself."""
    path = data_dir / KEY_FILE_NAME
    if not path.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as out:
            out.write(new_key() + "\n")
    keys = split_keys(path.read_text().replace("\n", ","))
    if not keys:
        raise SecretKeyError(f"{path} holds no key")
    return keys


def write_key_file(data_dir: Path, keys: Sequence[str]) -> Path:
    """Replace the key file atomically (mode 0600), newest key first."""
    path = data_dir / KEY_FILE_NAME
    tmp = path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        out.write("\n".join(keys) + "\n")
    os.replace(tmp, path)
    return path
