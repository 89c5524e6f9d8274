"""The texts a team writes itself for what the desk says on its own: the opening and closing
posts and the out-of-hours acknowledgement, one set per language the desk writes in.

A text may hold one placeholder, filled from the business calendar when it is sent:
``{until}`` in the opening post (when the desk closes), ``{when}`` in the closing post and the
acknowledgement (when it is back). Anything else in braces is refused with its field, so a
typo never reaches a customer as ``{wehn}``. An empty text means "use the built-in one".
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from mentiondesk.domain.errors import InvalidInput

__all__ = ["MAX_TEXT", "TEXT_KINDS", "TEXT_LANGUAGES", "check_texts", "text_field"]

TEXT_LANGUAGES = ("en", "pl", "it")
TEXT_KINDS: dict[str, str] = {"opening": "until", "closing": "when", "ack": "when"}
"""Each kind of text and the placeholder it may hold."""
MAX_TEXT = 260  # leaves room for the filled-in time within X's 280 characters

_BRACED = re.compile(r"\{([^{}]*)\}")


def text_field(language: str, kind: str) -> str:
    """The field name a refusal names (and the settings form uses): ``texts.pl.closing``."""
    return f"texts.{language}.{kind}"


def _check(language: str, kind: str, text: str) -> None:
    field = text_field(language, kind)
    if len(text) > MAX_TEXT:
        raise InvalidInput(field, f"at most {MAX_TEXT} characters (this one has {len(text)})")
    allowed = TEXT_KINDS[kind]
    for name in _BRACED.findall(text):
        if name != allowed:
            raise InvalidInput(
                field, f"unknown placeholder {{{name}}}: this text may only use {{{allowed}}}"
            )
    if "{" in _BRACED.sub("", text) or "}" in _BRACED.sub("", text):
        raise InvalidInput(field, "a brace without its pair: write {" + allowed + "} whole")
    if any(ord(c) < 32 and c not in "\n" for c in text):
        raise InvalidInput(field, "control characters are not allowed")


def check_texts(texts: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    """The texts with empty ones dropped; refuses an unknown language or kind, a text that is
    too long, or a placeholder the kind does not have."""
    clean: dict[str, dict[str, str]] = {}
    for language, kinds in texts.items():
        if language not in TEXT_LANGUAGES:
            raise InvalidInput("texts", f"texts are written in {', '.join(TEXT_LANGUAGES)}")
        for kind, text in kinds.items():
            if kind not in TEXT_KINDS:
                raise InvalidInput("texts", f"unknown text {kind!r}: {', '.join(TEXT_KINDS)}")
            value = str(text).strip().replace("\r\n", "\n")
            if value:
                _check(language, kind, value)
                clean.setdefault(language, {})[kind] = value
    return clean
