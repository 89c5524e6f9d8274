"""The password policy: long enough, not a well-known password, not built from who you are.

Pure: the list of common passwords is handed in, so the rule is tested without files."""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable

MIN_LENGTH = 12
MAX_LENGTH = 256  # argon2 copes with more, but nobody types it and it bounds the hashing cost
_SEPARATORS = re.compile(r"[\W_]+")


def _folded(text: str) -> str:
    return _SEPARATORS.sub("", text.casefold())


def _personal_words(email: str, workspace_names: Iterable[str]) -> list[str]:
    """The words a guesser tries first: the e-mail's name (``ania.nowak``, ``ania``,
    ``nowak``) and each workspace's name; shorter than 4 letters they say too little."""
    local = email.partition("@")[0]
    words = [local, *re.split(r"[._+-]+", local), *workspace_names]
    for name in workspace_names:
        words.extend(name.split())
    return sorted({_folded(w) for w in words if len(_folded(w)) >= 4}, key=len, reverse=True)


def password_problem(
    password: str,
    *,
    common: Collection[str],
    email: str = "",
    workspace_names: Iterable[str] = (),
) -> str | None:
    """Why ``password`` is refused, or None when it is acceptable.

    ``common`` holds lower-case well-known passwords; a password is refused when it is one of
    them, also with a year or digits, a ``!`` or different capitals added at the end."""
    if len(password) < MIN_LENGTH:
        return f"must be at least {MIN_LENGTH} characters"
    if len(password) > MAX_LENGTH:
        return f"must be at most {MAX_LENGTH} characters"
    if len(set(password)) < 4:
        return "uses too few different characters"
    lowered = password.casefold()
    stripped = lowered.rstrip("0123456789!?.*#$@ ")
    if lowered in common or (len(stripped) >= 6 and stripped in common):
        return "is one of the most common (breached) passwords; choose another"
    folded = _folded(password)
    for word in _personal_words(email, workspace_names):
        if word in folded:
            return "must not contain your e-mail name or the workspace's name"
    return None
