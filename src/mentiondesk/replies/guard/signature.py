"""``missing_signature``: workspaces that sign replies ("^AK", "— Marta", "Pozdrawiam, Ola")."""

from __future__ import annotations

import re
from functools import cache

from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.phrases import words
from mentiondesk.replies.guard.text import fold

__all__ = ["find_signature", "missing_signature"]

_CAP = r"[A-ZÀ-ÖØ-ÞĄĆĘŁŃŚŹŻ]"
_NAME = rf"{_CAP}[\w.]*(?:[ \t]+{_CAP}[\w.]*){{0,2}}"
_MARKED = re.compile(rf"(?:^|\s)(?:[\^~/]|[-–—]{{1,2}})[ \t]?({_NAME})[ \t]*$")
_TEAM = re.compile(
    rf"(?:^|[\n.!?][ \t]*)({_CAP}\w+,?[ \t]+(?:(?:from|z|ze|del|dal|della|di|of|for|at|"
    rf"\||-|–|—)[ \t]+|dell'|dall')[^\n.!?]{{2,40}})[ \t]*$"
)
_WITH_TEAM = re.compile(r"[ \t](?:from|z|ze|del|dal|della|di|of|at|\||-|–|—)[ \t]|[ \t]dell'")
# A bare name on the last line: one to three capitalised words and nothing else.
_LAST_LINE = re.compile(rf"\n[ \t]*({_CAP}[\w.]*(?:[ \t]+{_CAP}[\w.]*){{0,2}})[ \t]*$")
# Words that open a team's or a department's line, not a person's name.
_NOT_AGENT = frozenset(
    [
        "team",
        "zespół",
        "zespol",
        "dział",
        "dzial",
        "obsługa",
        "obsluga",
        "biuro",
        "customer",
        "complaints",
        "department",
        "support",
        "care",
        "service",
        "servizio",
        "ufficio",
        "assistenza",
        "il",
        "lo",
        "la",
        "the",
        "ps",
        "thanks",
        "grazie",
        "dzięki",
        "dzieki",
    ]
)


@cache
def _signoff() -> re.Pattern[str]:
    signoffs = "|".join(sorted(words("signoff"), key=len, reverse=True))
    team = r"(?:[ \t]*,[^\n]{0,40}|[ \t]+(?:from|z|ze|del|dal|di|of)[ \t][^\n]{0,40})?"
    return re.compile(rf"(?<=[\n.!?])[ \t]*(?i:{signoffs})[ \t]*[,!.]?\s+({_NAME}{team})[ \t]*$")


@cache
def _not_a_name() -> re.Pattern[str]:
    """Sign-offs and greetings, which are not a name on their own ("Pozdrawiamy")."""
    parts = [*words("signoff"), *words("greetings")]
    alternation = "|".join(sorted(parts, key=len, reverse=True))
    return re.compile(rf"(?:{alternation})", re.IGNORECASE)


def _is_agent(name: str, *, whole_line: bool, bare: bool) -> bool:
    """Whether ``name`` names a person: not a team's line ("Zespół Skylot", "Corvo Customer
    Care"), and, for a bare last line, not a sign-off or a common word on its own."""
    if re.fullmatch(r"[A-Z]{2,3}", name):
        return True  # initials: "^LA", "-MK"
    tokens = [fold(t).strip(".,|") for t in name.split()]
    checked = tokens if whole_line else tokens[:1]
    if any(t in _NOT_AGENT for t in checked):
        return False
    return not bare or _not_a_name().fullmatch(tokens[0]) is None


def find_signature(reply: str, pattern: str | None = None) -> tuple[str, int, int] | None:
    """(text, start, end) of the signature closing the reply, or None.

    A signature names the agent: initials or a name after a mark (``^AB``, ``-Ania``,
    ``/Marco``), after a sign-off ("Pozdrawiam, Ola"), with the team ("Marco del team Corvo"),
    or alone on the last line. A team's or department's line ("Zespół Skylot", "The Corvo
    Team") and a last line that is a sentence or a sign-off without a name are not one.
    """
    tail_start = max(0, len(reply.rstrip()) - 120)
    tail = reply.rstrip()[tail_start:]
    if pattern:
        m = re.search(pattern, tail)
        return (m.group(0), tail_start + m.start(), tail_start + m.end()) if m else None
    for regex in (_MARKED, _signoff(), _TEAM, _LAST_LINE):
        m = regex.search(tail)
        bare = regex is _LAST_LINE
        whole = bare or (regex is not _TEAM and _WITH_TEAM.search(m.group(1) if m else "") is None)
        if m and _is_agent(m.group(1), whole_line=whole, bare=bare):
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
