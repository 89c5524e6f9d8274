"""How the reply sounds: apology, blame, corporate boilerplate, and a concrete next step.

These are warnings, not blocks: phrase lists catch the patterns that recur in brands' public
missteps ("as clearly stated in our terms", "we apologise for any inconvenience"), and the
agent decides. ``missing_apology`` and ``no_next_step`` only apply to complaints; when triage
gave no intent, the post text is read for complaint cues.
"""

from __future__ import annotations

import re
from functools import cache

from mentiondesk.replies.guard.model import Finding, GuardContext, Severity
from mentiondesk.replies.guard.phrases import (
    phrase_pattern,
    phrase_spans,
    redirect_patterns,
    words,
)
from mentiondesk.replies.guard.text import fold, sentences
from mentiondesk.replies.guard.tone_model import tone_model

__all__ = [
    "apology_spans",
    "find_blame",
    "find_boilerplate",
    "has_next_step",
    "is_complaint",
    "missing_apology",
    "no_next_step",
]


def apology_spans(reply: str) -> list[tuple[int, int]]:
    """Where the reply apologises; "we have nothing to apologise for" does not count."""
    negated = phrase_spans("apology_negated", reply)
    return [
        (start, end)
        for start, end in phrase_spans("apology", reply)
        if not any(s <= start < e for s, e in negated)
    ]


def has_next_step(reply: str) -> bool:
    """Whether the reply commits to an action ("we'll refund", "zleciłam wysyłkę", "ripariamo lo
    schermo"), asks for what it needs "so we can" act, or has someone act at a time ("the
    courier comes tomorrow"). Apologies, blame, press-release lines and "we've passed on your
    feedback" are not next steps, so they are masked first."""
    text = _mask(reply, ("apology", "blame", "boilerplate", "next_step_negated"))
    if phrase_pattern("next_step").search(text) is not None:
        return True
    if any(_acts(m) for m in phrase_pattern("step_verbs").finditer(text)):
        return True
    times = [m.start() for m in phrase_pattern("time_commitment").finditer(text)]
    if not times:
        return False
    actors = [m.start() for m in phrase_pattern("step_actor").finditer(text)]
    return any(
        any(a <= t < b for t in times) and any(a <= x < b for x in actors)
        for a, b in sentences(text)
    )


def _mask(reply: str, groups: tuple[str, ...]) -> str:
    """``reply`` with the phrases of ``groups`` and any "we can't help" blanked out (offsets
    kept)."""
    chars = list(reply)
    spans = [span for group in groups for span in phrase_spans(group, reply)]
    for kind, pattern in redirect_patterns():
        if kind == "cant_help":
            spans += [m.span() for m in pattern.finditer(reply)]
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


@cache
def _step_stop() -> tuple[str, ...]:
    return tuple(fold(w) for w in words("step_stop"))


_NEGATION = re.compile(r"(?:\b(?:nie|non|not|never|nigdy|mai)|n't)\s+(?:\w+\s+)?$", re.IGNORECASE)


def _acts(m: re.Match[str]) -> bool:
    """A first-person (or the company's people's) verb form that is an action, not a feeling
    ("rozumiemy", "speriamo", "we're sorry") and not negated ("nie zrobimy", "non gestiamo")."""
    said = fold(m.group(0))
    if any(said == stop or (" " in stop and said.startswith(stop + " ")) for stop in _step_stop()):
        return False
    return _NEGATION.search(m.string, max(0, m.start() - 20), m.start()) is None


def is_complaint(ctx: GuardContext) -> bool:
    """Triage's intent when given; otherwise complaint cues in the post text."""
    if ctx.intent:
        return ctx.intent.strip().lower() == "complaint"
    return phrase_pattern("complaint_cues").search(ctx.post_text) is not None


def _matches(group: str, reply: str) -> tuple[tuple[int, int], ...]:
    return phrase_spans(group, reply)


def find_blame(reply: str) -> list[Finding]:
    """Blame phrases, and sentences the tone model reads as blame that no phrase covers."""
    spans = list(_matches("blame", reply))
    model = tone_model()
    for start, end in sentences(reply):
        if not any(s < end and start < e for s, e in spans) and model.says(
            "blame", reply[start:end]
        ):
            spans.append((start, end))
    return [
        Finding(
            "blame",
            Severity.WARN,
            m[0],
            m[1],
            f"{reply[m[0] : m[1]]!r} puts the blame on the customer.",
            "Explain what happened and what you will do, without pointing at the customer.",
        )
        for m in sorted(spans)
    ]


def find_boilerplate(reply: str) -> list[Finding]:
    return [
        Finding(
            "boilerplate",
            Severity.WARN,
            m[0],
            m[1],
            f"{reply[m[0] : m[1]]!r} reads like a press release.",
            "Say it in your own words, about this customer's problem.",
        )
        for m in _matches("boilerplate", reply)
    ]


@cache
def _opening() -> re.Pattern[str]:
    greetings = "|".join(sorted(words("greetings"), key=len, reverse=True))
    return re.compile(rf"^\s*(?:{greetings})\b[^,!.\n]{{0,40}}[,!.]?\s*", re.IGNORECASE)


def _after_greeting(reply: str) -> int:
    m = _opening().match(reply)
    return m.end() if m else 0


def missing_apology(reply: str, ctx: GuardContext, *, apology: bool) -> Finding | None:
    if apology or not is_complaint(ctx):
        return None
    at = _after_greeting(reply)
    return Finding(
        "missing_apology",
        Severity.WARN,
        at,
        at,
        "The customer is complaining and the reply does not apologise.",
        "Open with a short, specific apology for what went wrong.",
    )


def no_next_step(reply: str, ctx: GuardContext, *, next_step: bool) -> Finding | None:
    if next_step or not is_complaint(ctx):
        return None
    end = len(reply.rstrip())
    return Finding(
        "no_next_step",
        Severity.WARN,
        end,
        end,
        "The reply does not say what happens next.",
        'Say what you will do and when ("we\'ll check and reply by 6 pm").',
    )
