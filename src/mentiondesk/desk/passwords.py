"""The password policy with its bundled list of common passwords (``data/``, see its card)."""

from __future__ import annotations

import gzip
from collections.abc import Iterable
from functools import cache
from importlib import resources

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.passwords import password_problem


@cache
def common_passwords() -> frozenset[str]:
    """About 20,000 passwords most often found in breaches, lower-cased."""
    blob = resources.files("mentiondesk.desk").joinpath("data/common-passwords.txt.gz")
    text = gzip.decompress(blob.read_bytes()).decode("utf-8")
    return frozenset(line.strip() for line in text.splitlines() if line.strip())


def check_password(password: str, *, email: str = "", workspace_names: Iterable[str] = ()) -> None:
    """Raise ``InvalidInput("password", why)`` when the policy refuses ``password``."""
    problem = password_problem(
        password, common=common_passwords(), email=email, workspace_names=tuple(workspace_names)
    )
    if problem:
        raise InvalidInput("password", problem)
