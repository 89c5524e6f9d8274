"""``missing_signature``: workspaces that sign replies ("^AK", "— Marta", "Pozdrawiam, Ola")."""

from __future__ import annotations

import re
from functools import cache

from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.phrases import words

__all__ = ["find_signature", "missing_signature"]

_CAP = r"[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻ]"
_NAME = rf"{_CAP}[\w.]*(?:[ \t]+{_CAP}[\w.]*){{0,2}}"
_MARKED = re.compile(rf"(?:^|\s)(?:[\^~/]|[-–—]{{1,2}})[ \t]?({_NAME})[ \t]*$")
_TEAM = re.compile(
    rf"(?:^|[\n.!?][ \t]*)({_CAP}\w+,?[ \t]+(?:from|z|ze|del|dal|di|of|for|\||-|–|—)[ \t]+"
    rf"[^\n.!?]{{2,40}})[ \t]*$"
)
_LAST_LINE = re.compile(rf"\n[ \t]*({_CAP}[\w.]*(?:[ \t]*[,|/–—-]?[ \t]*[\w.&]+){{0,4}})[ \t]*$")


@cache
def _signoff() -> re.Pattern[str]:
    signoffs = "|".join(sorted(words("signoff"), key=len, reverse=True))
    team = r"(?:[ \t]*,[^\n]{0,40}|[ \t]+(?:from|z|ze|del|dal|di|of)[ \t][^\n]{0,40})?"
    return re.compile(rf"(?i:{signoffs})[ \t]*[,!.]?\s+({_NAME}{team})[ \t]*$")


def find_signature(reply: str, pattern: str | None = None) -> tuple[str, int, int] | None:
    """(text, start, end) of the signature closing the reply, or None."""
    tail_start = max(0, len(reply.rstrip()) - 120)
    tail = reply.rstrip()[tail_start:]
    if pattern:
        m = re.search(pattern, tail)
        return (m.group(0), tail_start + m.start(), tail_start + m.end()) if m else None
    for regex in (_MARKED, _signoff(), _TEAM, _LAST_LINE):
        m = regex.search(tail)
        if m:
            return m.group(1), tail_start + m.start(1), tail_start + m.end(1)
    return None


def missing_signature(reply: str, ctx: GuardContext, signature: str | None) -> Finding | None:
    if signature or not ctx.settings.requires_signature:
        return None
    end = len(reply.rstrip())
    return Finding(
        "missing_signature",
        Severity.WARN,
        end,
        end,
        "This workspace signs its replies and this one is not signed.",
        "Add your signature at the end.",
    )
