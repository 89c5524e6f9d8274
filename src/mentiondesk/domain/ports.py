"""Seams to the outside of the domain. Each has a real implementation and a shipped fake."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

from mentiondesk.domain.posts import InboundPost, Mention
from mentiondesk.domain.triage import TriageResult
from mentiondesk.domain.workspaces import Workspace


class Clock(Protocol):
    def now(self) -> datetime:
        """An aware UTC datetime."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock for tests and replays: it says what it was told, and can be moved."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self.at = at

    def now(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> None:
        self.at = at


class BrandMatcher(Protocol):
    """Decides whether, where and how a post mentions a workspace's brand."""

    def match(self, workspace: Workspace, post: InboundPost) -> Sequence[Mention]:
        """All mentions in ``post``; empty when it does not concern the brand."""
        ...


class Triager(Protocol):
    """Labels a post: language, sentiment, intent, harm, spam, sensitive data, priority."""

    def triage(
        self,
        post: InboundPost,
        *,
        mentioned: bool,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> TriageResult:
        """``mentioned``: the brand was matched; ``order_pattern``: the workspace's regex for
        order/ticket numbers; ``now`` ages the post for priority."""
        ...


@runtime_checkable
class BatchTriager(Triager, Protocol):
    """A triager that labels many posts at once, much faster than one by one."""

    def triage_posts(
        self,
        posts: Sequence[tuple[InboundPost, bool]],
        *,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> list[TriageResult]:
        """``posts`` pairs each post with whether the brand was matched in it."""
        ...
