"""Tag or hide the posts of many selected cases at once, from the inbox.

A case's customer posts (never the brand's own) are tagged or hidden through the same
functions a single post uses: hiding needs an accepted reason, is audited per post and queues
the platform's hide in the outbox; nothing is deleted. Each case is its own transaction, so
one that fails says why and the others go through (``desk.bulk.BulkOutcome``)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime

from mentiondesk.desk.access import Actor
from mentiondesk.desk.bulk import BulkOutcome, check_selection
from mentiondesk.desk.search import add_tag_to_search
from mentiondesk.domain.errors import DomainError, InvalidInput, NotFound
from mentiondesk.domain.moderation import validate_hide_reason
from mentiondesk.domain.posts import Post
from mentiondesk.moderation.actions import hide, record
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = ["MODERATION_BULK_ACTIONS", "TAG_SHAPE", "do_bulk_hide", "do_bulk_tag"]

MODERATION_BULK_ACTIONS = {"tag": "Tag", "hide": "Hide"}
TAG_SHAPE = re.compile(r"^[\w-]{1,64}$")
TAG = "post.tag"


def _customer_posts(uow: UnitOfWork, actor: Actor, case_id: int) -> list[Post]:
    if uow.cases.get(actor.workspace.id, case_id) is None:
        raise NotFound(f"no case {case_id}")
    return [p for p in uow.posts.for_case(actor.workspace.id, case_id) if not p.extra.get("ours")]


def _each_case(
    uow: UnitOfWork, action: str, case_ids: list[int], apply: Callable[[int], None]
) -> BulkOutcome:
    done: list[int] = []
    failed: list[tuple[int, str]] = []
    for case_id in dict.fromkeys(case_ids):
        try:
            apply(case_id)
            uow.commit()
        except DomainError as exc:
            uow.rollback()
            failed.append((case_id, str(exc)))
        else:
            done.append(case_id)
    return BulkOutcome(action, tuple(done), tuple(failed), MODERATION_BULK_ACTIONS[action])


def do_bulk_tag(
    uow: UnitOfWork, actor: Actor, case_ids: list[int], tag: str, *, now: datetime
) -> BulkOutcome:
    """Tag every customer post of the selected cases with ``tag`` (added once, audited)."""
    actor.require_case_work()
    check_selection(case_ids)
    cleaned = tag.strip()
    if not TAG_SHAPE.match(cleaned):
        raise InvalidInput("tag", "use 1-64 letters, digits, dashes or underscores")

    def apply(case_id: int) -> None:
        for post in _customer_posts(uow, actor, case_id):
            if uow.moderation.add_tag(actor.workspace.id, post.id, cleaned, at=now):
                add_tag_to_search(uow, actor.workspace.id, post.case_id, cleaned)
                record(
                    uow, post, TAG, reason=cleaned, now=now, by_user_id=actor.user.id, by_rule=None
                )

    return _each_case(uow, "tag", case_ids, apply)


def do_bulk_hide(
    uow: UnitOfWork, actor: Actor, case_ids: list[int], reason: str | None, *, now: datetime
) -> BulkOutcome:
    """Hide every customer post of the selected cases, for an accepted ``reason``."""
    actor.require_case_work()
    check_selection(case_ids)
    canonical = validate_hide_reason(reason, uow.moderation.community_rules(actor.workspace.id))

    def apply(case_id: int) -> None:
        for post in _customer_posts(uow, actor, case_id):
            hide(uow, post, canonical, now=now, by_user_id=actor.user.id)

    return _each_case(uow, "hide", case_ids, apply)
