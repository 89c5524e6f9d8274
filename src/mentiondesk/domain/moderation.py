"""Moderation without deletion: which reasons may hide a post, auto-moderation rules and what
they match. Plain data and pure functions; the services in ``mentiondesk.moderation`` store
and apply them."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.events import Event
from mentiondesk.domain.posts import Post

BUILT_IN_HIDE_REASONS: tuple[str, ...] = ("spam", "abuse")
MAX_COMMUNITY_RULES = 50
MAX_RULE_TITLE = 200

_LINK = re.compile(r"(https?://|www\.)\S+", re.IGNORECASE)


def accepted_hide_reasons(community_rules: Iterable[str]) -> tuple[str, ...]:
    """Spam and abuse always; beyond them only what the workspace published as its rules, so
    that hiding a customer's post can always be justified to them."""
    return BUILT_IN_HIDE_REASONS + tuple(community_rules)


def validate_hide_reason(reason: str | None, community_rules: Sequence[str]) -> str:
    """The canonical spelling of ``reason`` (matched case-insensitively), or ``InvalidInput``
    naming ``reason`` and listing what is accepted."""
    accepted = accepted_hide_reasons(community_rules)
    listed = ", ".join(f'"{r}"' for r in accepted)
    cleaned = " ".join((reason or "").split())
    if not cleaned:
        raise InvalidInput("reason", f"is required to hide a post; accepted reasons: {listed}")
    for candidate in accepted:
        if candidate.casefold() == cleaned.casefold():
            return candidate
    raise InvalidInput("reason", f"{cleaned!r} is not accepted; accepted reasons: {listed}")


def clean_community_rules(titles: Iterable[str]) -> tuple[str, ...]:
    """Trimmed, de-duplicated rule titles; refuses ones that would shadow spam/abuse."""
    seen: dict[str, str] = {}
    for raw in titles:
        title = " ".join(raw.split())
        if not title:
            continue
        if len(title) > MAX_RULE_TITLE:
            raise InvalidInput("rules", f"a rule is longer than {MAX_RULE_TITLE} characters")
        if any(ord(c) < 32 for c in title):
            raise InvalidInput("rules", "a rule contains control characters")
        if title.casefold() in BUILT_IN_HIDE_REASONS:
            continue  # always accepted anyway
        seen.setdefault(title.casefold(), title)
    if len(seen) > MAX_COMMUNITY_RULES:
        raise InvalidInput("rules", f"at most {MAX_COMMUNITY_RULES} community rules")
    return tuple(seen.values())


def erased_text(on: date) -> str:
    """What an erased post says instead of its text."""
    return f"[erased on {on.isoformat()} at the data subject's request]"


def has_link(text: str) -> bool:
    return _LINK.search(text) is not None


@dataclass(frozen=True, slots=True)
class RuleConditions:
    """All given conditions must hold; an empty list or None means "any"."""

    spam: bool | None = None
    harmful: bool | None = None
    intents: tuple[str, ...] = ()
    sentiments: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    keywords_any: tuple[str, ...] = ()
    keywords_all: tuple[str, ...] = ()
    has_link: bool | None = None
    author_handles: tuple[str, ...] = ()
    min_followers: int | None = None
    max_followers: int | None = None

    def is_empty(self) -> bool:
        return self == RuleConditions()

    def to_dict(self) -> dict[str, Any]:
        return {
            "spam": self.spam,
            "harmful": self.harmful,
            "intents": list(self.intents),
            "sentiments": list(self.sentiments),
            "languages": list(self.languages),
            "keywords_any": list(self.keywords_any),
            "keywords_all": list(self.keywords_all),
            "has_link": self.has_link,
            "author_handles": list(self.author_handles),
            "min_followers": self.min_followers,
            "max_followers": self.max_followers,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleConditions:
        def words(key: str) -> tuple[str, ...]:
            return tuple(str(w).strip() for w in data.get(key) or () if str(w).strip())

        def number(key: str) -> int | None:
            value = data.get(key)
            return None if value in (None, "") else int(value)

        return cls(
            spam=data.get("spam"),
            harmful=data.get("harmful"),
            intents=words("intents"),
            sentiments=words("sentiments"),
            languages=words("languages"),
            keywords_any=words("keywords_any"),
            keywords_all=words("keywords_all"),
            has_link=data.get("has_link"),
            author_handles=words("author_handles"),
            min_followers=number("min_followers"),
            max_followers=number("max_followers"),
        )


@dataclass(frozen=True, slots=True)
class RuleActions:
    """What a matching rule does; at least one must be set."""

    hide_reason: str | None = None
    tag: str | None = None
    assign_to: int | None = None  # a user id with an agent role
    acknowledge: bool = False

    def is_empty(self) -> bool:
        return not (self.hide_reason or self.tag or self.assign_to or self.acknowledge)

    def to_dict(self) -> dict[str, Any]:
        return {
            "hide_reason": self.hide_reason,
            "tag": self.tag,
            "assign_to": self.assign_to,
            "acknowledge": self.acknowledge,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RuleActions:
        assign = data.get("assign_to")
        return cls(
            hide_reason=(data.get("hide_reason") or None),
            tag=(str(data["tag"]).strip() or None) if data.get("tag") else None,
            assign_to=int(assign) if assign not in (None, "") else None,
            acknowledge=bool(data.get("acknowledge")),
        )


@dataclass(slots=True)
class ModerationRule:
    id: int
    workspace_id: int
    name: str
    conditions: RuleConditions
    actions: RuleActions
    enabled: bool = True
    created_by: int | None = None


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"\w+", text.casefold())) + " "


def _contains(haystack: str, keyword: str) -> bool:
    """Whole-word (or whole-phrase) match, so that "spa" does not match "spam"."""
    needle = _words(keyword)
    return needle.strip() != "" and needle in haystack


def rule_matches(conditions: RuleConditions, post: Post) -> bool:
    """Whether every condition holds for ``post``. Triage conditions fail on untriaged posts."""
    triage = post.triage
    needs_triage = (
        conditions.spam is not None
        or conditions.harmful is not None
        or conditions.intents
        or conditions.sentiments
        or conditions.languages
    )
    if needs_triage and triage is None:
        return False
    if triage is not None:
        if conditions.spam is not None and triage.spam != conditions.spam:
            return False
        # A harmful label triage is not sure of never triggers an automatic action.
        if conditions.harmful is not None and triage.harmful_sure != conditions.harmful:
            return False
        if conditions.intents and triage.intent.value not in conditions.intents:
            return False
        if conditions.sentiments and triage.sentiment.value not in conditions.sentiments:
            return False
        if conditions.languages and triage.language not in conditions.languages:
            return False
    text = post.inbound.text
    if conditions.keywords_any or conditions.keywords_all:
        words = _words(text)
        if conditions.keywords_any and not any(
            _contains(words, k) for k in conditions.keywords_any
        ):
            return False
        if not all(_contains(words, k) for k in conditions.keywords_all):
            return False
    if conditions.has_link is not None and has_link(text) != conditions.has_link:
        return False
    author = post.inbound.author
    if conditions.author_handles:
        handles = {h.lstrip("@").casefold() for h in conditions.author_handles}
        if author.handle.lstrip("@").casefold() not in handles:
            return False
    followers = author.followers or 0
    if conditions.min_followers is not None and followers < conditions.min_followers:
        return False
    return not (conditions.max_followers is not None and followers > conditions.max_followers)


@dataclass(frozen=True, slots=True)
class PostModerated(Event):
    """A post was hidden, unhidden or acknowledged (``action``) by a person or a rule."""

    post_id: int
    workspace_id: int
    action: str
    reason: str
    by_user_id: int | None
    by_rule: str | None
    at: datetime


@dataclass(frozen=True, slots=True)
class AuthorErased(Event):
    request_id: int
    workspace_id: int
    posts_redacted: int
    at: datetime


@dataclass(slots=True)
class DryRunReport:
    """What a rule would have done, computed without changing anything."""

    rule_name: str
    since: datetime
    scanned: int = 0
    matched: int = 0
    would: dict[str, int] = field(default_factory=dict)
    sample: list[dict[str, Any]] = field(default_factory=list)
