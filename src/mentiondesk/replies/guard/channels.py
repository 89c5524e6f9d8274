"""``channel_redirect`` and ``redirect_while_closed``: sending the customer somewhere else.

"Please DM us" or "call our hotline" with nothing else is the classic non-answer in public
social care; pointing to a hotline that closed minutes ago is worse. A redirect is fine when
the reply also answers or commits to a next step. The workspace's own hotline numbers,
addresses and website count as redirects wherever they appear, with or without a phrase
around them; whether the hotline answers then is ``hotline.closed_hotline_message``.
"""

from __future__ import annotations

import re

from mentiondesk.replies.guard.contacts import brand_contacts, own_mentions
from mentiondesk.replies.guard.hotline import closed_hotline_message
from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.phrases import phrase_spans, redirect_patterns
from mentiondesk.replies.guard.text import sentences

__all__ = ["find_redirects", "has_answer", "redirect_findings"]

_URL = re.compile(r"\bhttps?://\S+|\bwww\.\S+|\b[\w-]+\.(?:com|pl|it|eu|net|org|co\.uk)/\S*", re.I)
_EMAIL = re.compile(r"(?<![\w.%+@-])[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_WORD = re.compile(r"\w+")
_CLAUSE = re.compile(r"[,;:()–—]|\s-\s")
_ANSWER_MIN_WORDS = 6
# "We'll check with the courier", "to my powinniśmy byli zadzwonić", "ti arriva via mail": the
# brand acts or the customer receives; nobody is sent anywhere.
_BY_US = re.compile(
    r"(?:\b(?:we|i)(?:'ll|'d|'ve| will| would| should| shall| can| could| have)?"
    r"|\b(?:powinniśmy|powinnismy|mogliśmy|moglismy|musimy|możemy|mozemy|będziemy|bedziemy)"
    r"(?: byli)?|\b(?:arriva|arriverà|riceverai|ricevi|riceverà|dostaniesz|otrzymasz|"
    r"you'll (?:get|receive)|you will (?:get|receive)|sent to you|emailed to you)(?: \w+)?)"
    r"\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)

Span = tuple[str, int, int]


def find_redirects(reply: str, brand_contact_values: tuple[str, ...] = ()) -> list[Span]:
    """(kind, start, end) for every pointer to another channel, in reply order;
    ``brand_contact_values`` are the workspace's own numbers, addresses and sites."""
    found: list[Span] = [("email", m.start(), m.end()) for m in _EMAIL.finditer(reply)]
    emails = [(s, e) for _, s, e in found]
    for m in _URL.finditer(reply):
        if not any(s <= m.start() < e for s, e in emails):
            found.append(("url", m.start(), m.end()))
    for kind, pattern in redirect_patterns():
        found.extend(
            (kind, m.start(), m.end())
            for m in pattern.finditer(reply)
            if kind == "cant_help"
            or _BY_US.search(reply, max(0, m.start() - 40), m.start()) is None
        )
    if brand_contact_values:
        for kind, start, end in own_mentions(reply, brand_contacts(brand_contact_values)):
            if not any(k == kind and s <= start < e for k, s, e in found):
                found.append((kind, start, end))
    return sorted(found, key=lambda span: (span[1], span[2]))


def has_answer(reply: str, redirects: list[Span]) -> bool:
    """Whether some sentence says something of substance besides greetings, apologies,
    thanks, boilerplate and the redirect itself."""
    removable = [
        span
        for g in ("apology", "filler", "boilerplate", "signoff")
        for span in phrase_spans(g, reply)
    ]
    for start, end in _clauses(reply):
        text = reply[start:end]
        if any(s < end and e > start for _, s, e in redirects):
            continue
        kept = list(text)
        for s, e in removable:
            for i in range(max(s, start), min(e, end)):
                kept[i - start] = " "
        if len(_WORD.findall("".join(kept))) >= _ANSWER_MIN_WORDS:
            return True
    return False


def _clauses(reply: str) -> list[tuple[int, int]]:
    """Clauses of the sentences that are not questions: "sorry, please DM us" is two."""
    spans: list[tuple[int, int]] = []
    for start, end in sentences(reply):
        if reply[start:end].rstrip().endswith("?"):
            continue
        cut = start
        for m in _CLAUSE.finditer(reply, start, end):
            spans.append((cut, m.start()))
            cut = m.end()
        spans.append((cut, end))
    return spans


def _sentences_with(reply: str, spans: list[tuple[int, int]]) -> str:
    """The sentences holding any of ``spans`` and the one after each, joined: where "call us"
    says when ("Call our hotline. It opens on Monday at 8.")."""
    parts = sentences(reply)
    keep: set[int] = set()
    for i, (a, b) in enumerate(parts):
        if any(a <= s < b for s, _e in spans):
            keep |= {i, i + 1}
    return " ".join(reply[a:b] for i, (a, b) in enumerate(parts) if i in keep)


def redirect_findings(
    reply: str, ctx: GuardContext, redirects: list[Span], *, next_step: bool
) -> list[Finding]:
    findings: list[Finding] = []
    if redirects and not next_step and not has_answer(reply, redirects):
        kind, start, end = redirects[0]
        findings.append(
            Finding(
                "channel_redirect",
                Severity.WARN,
                start,
                end,
                "The reply says it cannot help, without answering or saying who can."
                if kind == "cant_help"
                else f"The reply sends the customer to another channel ({kind}) without answering.",
                "Answer what you can here, or say what will happen once they get in touch.",
            )
        )
    phones = [(s, e) for kind, s, e in redirects if kind == "phone"]
    if phones and ctx.settings.hotline is not None:
        message = closed_hotline_message(_sentences_with(reply, phones), ctx, whole_reply=reply)
        if message is not None:
            start, end = phones[0]
            findings.append(
                Finding(
                    "redirect_while_closed",
                    Severity.WARN,
                    start,
                    end,
                    message,
                    "Give the opening hours, or offer a way to help now.",
                )
            )
    return findings
