"""``wrong_name``: the reply greets or tags someone who is not the author.

A canned reply pasted with the previous customer's name is the most visible mistake a brand
can make in public. Names are read where replies put them: right after a greeting or an
honorific ("Hi Marco", "Dzień dobry, Pani Anno", "Gentile Sig.ra Rossi") and as @handles.
Each is compared with every form the author may be addressed by: Polish vocatives and
diminutives, English and Italian nicknames, parts of the handle, with a small typo tolerance.

Only a capitalised word that could be a name counts: pronouns, contractions ("I'm"), greetings
and the words replies open with are never names, and after "Hi," a capitalised word followed by
more of the sentence ("Hi, I'm really sorry") starts a sentence rather than naming anyone.
Handles are read in every platform's format (``@user``, ``@user@instance.social``,
``@user.bsky.social``, ``u/user``), and the author's own in any of them is the author.
"""

from __future__ import annotations

import re
from functools import cache

from rapidfuzz.distance import OSA, Indel

from mentiondesk.replies.guard.model import Finding, GuardContext, Person, Severity
from mentiondesk.replies.guard.phrases import nicknames, words
from mentiondesk.replies.guard.text import fold
from mentiondesk.replies.vocative import polish_name_forms

__all__ = ["find_wrong_names", "handle_identity", "named_people"]

_HANDLE = re.compile(
    r"(?<![\w.@/])@([A-Za-z0-9_](?:[A-Za-z0-9_.-]{0,62}[A-Za-z0-9_])?"
    r"(?:@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)+)?)"
    r"|(?<![\w/])/?u/([A-Za-z0-9_-]{3,20})(?![\w/])"
)
_CONTRACTION = re.compile(r"^(\w+)['’](?:m|re|ve|ll|d|s|t)$", re.IGNORECASE)
_HANDLE_PARTS = re.compile(r"[A-Z]?[a-z\u00c0-\u017f]+|[A-Z]+(?![a-z])")


@cache
def _greeting_name() -> re.Pattern[str]:
    greetings = "|".join(sorted(words("greetings"), key=len, reverse=True))
    honorifics = "|".join(sorted(words("honorifics"), key=len, reverse=True))
    token = r"\w[\w'’-]*"
    # A greeting, optionally with a title ("Dzień dobry, Pani Anno"), or a title alone opening
    # a line ("Panie Tomaszu,", "Gentile Sig.ra Rossi").
    return re.compile(
        rf"(?:(?<!\w)(?:{greetings})(?P<comma>[ \t]*,)?[ \t]+(?:(?P<title>{honorifics})[ \t]+)?"
        rf"|(?:^|(?<=[\n.!?])[ \t]*|(?<=^[ \t]))(?P<lead>{honorifics})[ \t]+)"
        rf"(?P<name>{token})(?:[ \t]+(?P<name2>{token}))?(?P<after>[ \t]*[,!.:;?\n]|[ \t]*$)?",
        re.IGNORECASE | re.MULTILINE,
    )


@cache
def _not_names() -> frozenset[str]:
    return frozenset(fold(w) for w in words("not_names") + words("greetings") + words("honorifics"))


def _forms(name: str) -> set[str]:
    """Every folded form a first or last name may appear in."""
    forms: set[str] = set()
    for part in re.split(r"[\s\-]+", name.strip()):
        if len(part) < 2:
            continue
        lower = part.lower()
        forms.update(polish_name_forms(lower))
        forms.update(nicknames().get(lower, ()))
    return {fold(f) for f in forms}


def handle_identity(handle: str) -> tuple[str, str]:
    """(user, host) of a handle in any platform's format, folded: ``@anna@mastodon.social`` ->
    ("anna", "mastodon.social"), ``anna.bsky.social`` -> ("anna", "bsky.social"), ``u/anna``
    and ``@anna`` -> ("anna", "")."""
    bare = fold(handle.strip())
    for prefix in ("/u/", "u/", "@"):
        if bare.startswith(prefix):
            bare = bare[len(prefix) :]
            break
    user, sep, host = bare.partition("@")
    if not sep:
        user, _, host = bare.partition(".")
    return user, host


def _same_handle(written: tuple[str, str], known: tuple[str, str]) -> bool:
    """The same account: equal, or the same user where one side names no instance (a Mastodon
    reply may tag ``@anna`` for ``@anna@mastodon.social``)."""
    if written[0] != known[0] or not written[0]:
        return False
    return written[1] == known[1] or not written[1] or not known[1]


def _handle_forms(handle: str) -> set[str]:
    user, _host = handle_identity(handle)
    bare = handle.strip().lstrip("@").split("@")[0]
    if bare.startswith(("u/", "/u/")):
        bare = bare.split("/")[-1]
    if not user:
        return set()
    forms = {user, fold(bare)}
    for part in _HANDLE_PARTS.findall(bare.replace("_", " ").replace(".", " ")):
        if len(part) >= 3:
            forms |= _forms(part)
    return forms


def _person_forms(person: Person) -> set[str]:
    return _forms(person.name) | _handle_forms(person.handle)


def _matches(token: str, allowed: set[str]) -> bool:
    if token in allowed:
        return True
    for form in allowed:
        if (
            len(token) >= 3
            and len(form) >= 3
            and (form.startswith(token) or token.startswith(form))
        ):
            return True
        if len(form) >= 4 and _typo(token, form):
            return True
    return False


def _typo(token: str, form: str) -> bool:
    """One letter missing or doubled, or two letters swapped ("Giula", "Guilia"); a changed
    letter is not a typo here: "Mario" for "Marco" is another person."""
    if Indel.distance(token, form, score_cutoff=1) <= 1:
        return True
    return (
        len(token) == len(form) and sorted(token) == sorted(form) and OSA.distance(token, form) == 1
    )


def _not_a_name(word: str, skip: frozenset[str]) -> bool:
    folded = fold(word)
    if not word[0].isupper() or folded in skip:
        return True
    contraction = _CONTRACTION.match(folded)
    return contraction is not None and contraction.group(1) in skip  # "I'm", "We're"


def named_people(reply: str) -> list[tuple[int, int, str]]:
    """(start, end, name) for each name the reply addresses after a greeting or honorific."""
    found: list[tuple[int, int, str]] = []
    skip = _not_names()
    for m in _greeting_name().finditer(reply):
        name = m.group("name")
        titled = m.group("title") is not None or m.group("lead") is not None
        if _not_a_name(name, skip):
            continue
        second = m.group("name2")
        # "Hi, Please DM us" / "Hi, I'm really sorry": after "Hi," a name stands alone
        # ("Hi, Anna!") or with a capitalised surname ("Hi, Anna Nowak,").
        if (
            m.group("comma")
            and not titled
            and (m.group("after") is None or (second is not None and not second[0].isupper()))
        ):
            continue
        found.append((m.start("name"), m.end("name"), name))
        if second and not _not_a_name(second, skip) and m.group("after"):
            found.append((m.start("name2"), m.end("name2"), second))
    return found


def find_wrong_names(
    reply: str, ctx: GuardContext, *, skip: tuple[int, int] | None = None
) -> list[Finding]:
    """Names and handles in the reply that belong to neither the author nor an earlier author
    of the case (nor the brand itself). ``skip`` is the signature's span: the agent's own name."""
    people = (Person(ctx.author_name, ctx.author_handle), *ctx.former_authors)
    who = ctx.author_name or ctx.author_handle or "the author"
    findings: list[Finding] = []
    if ctx.author_handle:
        known = [handle_identity(p.handle) for p in people if p.handle]
        known += [handle_identity(h) for h in ctx.settings.brand_handles]
        for m in _HANDLE.finditer(reply):
            written = handle_identity(m.group(0))
            if not any(_same_handle(written, k) for k in known):
                findings.append(_finding(m.start(), m.end(), m.group(0), who))
    if ctx.author_name.strip():
        allowed: set[str] = set()
        for person in people:
            allowed |= _person_forms(person)
        for start, end, name in named_people(reply):
            if skip and skip[0] <= start < skip[1]:
                continue
            if not _matches(fold(name), allowed):
                findings.append(_finding(start, end, name, who))
    return findings


def _finding(start: int, end: int, name: str, who: str) -> Finding:
    return Finding(
        "wrong_name",
        Severity.BLOCK,
        start,
        end,
        f"The reply addresses {name!r}, but this post is from {who}.",
        "Check the name: this reply may have been written for another customer.",
    )
