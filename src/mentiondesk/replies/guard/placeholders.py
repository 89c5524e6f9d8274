"""``unfilled_placeholder``: template syntax or a blank where a variable should have been."""

from __future__ import annotations

import re
from functools import cache

from mentiondesk.replies.guard.model import Finding, Severity
from mentiondesk.replies.guard.phrases import words

__all__ = ["find_unfilled"]

_PLACEHOLDER_WORDS = (
    r"name|first[ _]?name|imi[eę]|nazwisko|nome|cognome|customer|klient\w*|client\w*|order\w*"
    r"|zam[oó]wieni\w*|ordine|numer\w*|number|nr|date|data|agent|konsultant\w*|operatore"
    r"|product|produkt\w*|prodotto|link|url|code|kod|codice|city|miasto|citt[aà]|x+|\.\.\.|…"
)
_LITERAL = re.compile(
    r"\{\{.*?\}\}|\{%.*?%\}|\{\{|\}\}"  # Jinja left in, or a brace pair broken by editing
    r"|\{[A-Za-z_][\w.]*\}"  # {name}
    r"|\[\s*(?:[A-Z][A-Z0-9 _.-]{1,30}"  # [NAME], or a bracket naming a field: [order number]
    r"|(?i:[^\]\n]{0,20}\b(?:" + _PLACEHOLDER_WORDS + r")\b[^\]\n]{0,20}))\s*\]"
    r"|<[A-Z][A-Z0-9_]{1,30}>|%[A-Z][A-Z0-9_]{1,30}%|\$\{?[A-Za-z_]\w*\}?"
    r"|__[A-Z][A-Z0-9_]*__|\b[Xx]{3,}\b|_{3,}|#(?=[ \t]*(?:[,.!?;)]|$))",
    re.MULTILINE,
)


@cache
def _empty_greeting() -> re.Pattern[str]:
    """A greeting or honorific followed straight by punctuation: the name printed blank."""
    greetings = "|".join(sorted(words("greetings"), key=len, reverse=True))
    # Polish "Dzień dobry Pani!" is complete without a name, so those honorifics only count
    # when a space stands where the name was ("Pani ,"). Titles are atomic: the dot of
    # "Mrs." is part of the title, not the punctuation after an empty name.
    titles = "|".join(
        sorted((h for h in words("honorifics") if not h.startswith("pan")), key=len, reverse=True)
    )
    needs_name = rf"dear|gentil(?:e|issim[oa])|car[oa]|egregi[oa]|drog[ia]|szanown[ay]|{titles}"
    return re.compile(
        rf"(?im)^[ \t]*(?:(?:{greetings})[ \t]+[,!.:;]|(?>{needs_name})[ \t]*[,!.:;])"
        rf"|(?<!\w)(?:{greetings})[ \t]+(?>{titles})[ \t]*[,!.:;]"
        rf"|(?<!\w)(?:pani|panie|pan)[ \t]+[,!.:;]"
    )


def find_unfilled(reply: str) -> list[Finding]:
    """Template markers left in the text, and greetings whose name came out empty."""
    findings = [
        Finding(
            "unfilled_placeholder",
            Severity.BLOCK,
            m.start(),
            m.end(),
            f"Placeholder {m.group(0).strip()!r} was left in the reply.",
            "Fill it in or delete it before sending.",
        )
        for m in _LITERAL.finditer(reply)
    ]
    for m in _empty_greeting().finditer(reply):
        findings.append(
            Finding(
                "unfilled_placeholder",
                Severity.BLOCK,
                m.start(),
                m.end(),
                "The greeting has no name: a variable was probably empty.",
                "Add the customer's name or rephrase the greeting.",
            )
        )
    return findings
