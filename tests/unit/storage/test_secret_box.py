"""SecretBox: sealed values are unreadable without the key, and keys rotate."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from mentiondesk.storage.secret_box import (
    SecretBox,
    SecretKeyError,
    read_or_create_key_file,
    write_key_file,
)


def test_a_sealed_secret_is_not_the_plain_text_and_opens_again() -> None:
    box = SecretBox(["a-long-enough-key-0001"])
    sealed = box.seal("webhook-secret-value")
    assert sealed.startswith("fernet:") and "webhook-secret-value" not in sealed
    assert box.open(sealed) == "webhook-secret-value"
    assert box.open("plain-legacy-value") == "plain-legacy-value"


def test_another_key_cannot_open_it_and_says_why() -> None:
    sealed = SecretBox(["a-long-enough-key-0001"]).seal("s")
    with pytest.raises(SecretKeyError, match="rotate-key"):
        SecretBox(["a-long-enough-key-0002"]).open(sealed)


def test_a_new_key_first_still_opens_what_the_old_one_sealed() -> None:
    old = SecretBox(["old-key-0000000001"]).seal("s")
    both = SecretBox(["new-key-0000000002", "old-key-0000000001"])
    resealed = both.reseal(old)
    assert SecretBox(["new-key-0000000002"]).open(resealed) == "s"


def test_the_key_file_is_created_once_readable_by_its_owner_only(tmp_path: Path) -> None:
    keys = read_or_create_key_file(tmp_path / "data")
    path = tmp_path / "data" / "secret.key"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create_key_file(tmp_path / "data") == keys and len(keys[0]) >= 32
    write_key_file(tmp_path / "data", ["k" * 20, *keys])
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert read_or_create_key_file(tmp_path / "data") == ["k" * 20, *keys]
