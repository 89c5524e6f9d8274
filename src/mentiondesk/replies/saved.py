"""Saved replies: managing a workspace's canned texts, finding them, and rendering one for a case.

Owners and admins write the templates; everyone who works cases searches and inserts them. A
template is compiled when saved, so a syntax error or a sandbox violation reaches its author
then, not an agent in the middle of a reply. Rendering for a case fills what the desk knows
(the author's name, in the vocative where the template asks, the agent, the order number
triage found, the customer's custom fields) and leaves the rest visible for the guard to block.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from jinja2 import TemplateError

from mentiondesk.desk.access import Actor
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.replies.guard.sensitive import DEFAULT_ORDER_PATTERN
from mentiondesk.replies.templates import RenderedReply, SavedReply, build_context, render_template
from mentiondesk.storage.unit_of_work import UnitOfWork
from mentiondesk.triage.sensitive import find_sensitive

__all__ = [
    "ImportReport",
    "do_archive_saved_reply",
    "do_import_saved_replies",
    "do_save_saved_reply",
    "order_number_of_case",
    "render_for_case",
    "search_saved_replies",
]

MAX_BODY = 5_000
_ORDER_CODE = re.compile(r"[A-Z0-9][A-Z0-9-]{3,}$", re.IGNORECASE)


def _validated(
    actor: Actor, language: str, title: str, body: str, tags: Sequence[str]
) -> tuple[str, str, str, tuple[str, ...]]:
    language, title = language.strip().lower(), " ".join(title.split())
    if not 2 <= len(language) <= 8:
        raise InvalidInput("language", "must be a language code such as pl, it or en")
    if not 1 <= len(title) <= 200:
        raise InvalidInput("title", "must be 1-200 characters")
    if not body.strip() or len(body) > MAX_BODY:
        raise InvalidInput("body", f"must be 1-{MAX_BODY} characters")
    try:
        render_template(body, build_context())
    except TemplateError as exc:
        raise InvalidInput("body", f"does not render: {exc}") from exc
    return language, title, body.strip(), tuple(t.strip() for t in tags if t.strip())


def do_save_saved_reply(
    uow: UnitOfWork,
    actor: Actor,
    *,
    language: str,
    title: str,
    body: str,
    tags: Sequence[str] = (),
    saved_id: int | None = None,
    now: datetime,
) -> SavedReply:
    """Create a saved reply, or replace ``saved_id``; one title per language."""
    actor.require_settings()
    language, title, body, clean_tags = _validated(actor, language, title, body, tags)
    ws = actor.workspace.id
    clash = uow.saved_replies.by_title(ws, language, title)
    if clash is not None and clash.id != saved_id:
        raise InvalidInput("title", f"a saved reply in {language} is already called {title!r}")
    if saved_id is None:
        saved = uow.saved_replies.add(SavedReply(0, ws, language, title, body, clean_tags), now=now)
    else:
        if uow.saved_replies.get(ws, saved_id) is None:
            raise NotFound(f"no saved reply {saved_id}")
        saved = SavedReply(saved_id, ws, language, title, body, clean_tags)
        uow.saved_replies.update(saved, now=now)
    uow.commit()
    return saved


def do_archive_saved_reply(uow: UnitOfWork, actor: Actor, saved_id: int, *, now: datetime) -> None:
    """Take a saved reply out of use; it is archived, not deleted (saving its title again
    brings it back)."""
    actor.require_settings()
    if not uow.saved_replies.archive(actor.workspace.id, saved_id, now):
        raise NotFound(f"no saved reply {saved_id}")
    uow.commit()


@dataclass(frozen=True, slots=True)
class ImportReport:
    created: int
    updated: int


def do_import_saved_replies(
    uow: UnitOfWork, actor: Actor, lines: Iterable[str], *, now: datetime
) -> ImportReport:
    """JSON lines of ``{"language", "title", "body", "tags"}``; a known title is updated.
    All or nothing: a bad line names its number and nothing is saved."""
    actor.require_settings()
    created = updated = 0
    ws = actor.workspace.id
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            item: dict[str, Any] = json.loads(line)
            language, title, body, tags = _validated(
                actor,
                str(item["language"]),
                str(item["title"]),
                str(item["body"]),
                [str(t) for t in item.get("tags", [])],
            )
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            raise InvalidInput(f"line {number}", f"malformed: {exc}") from exc
        except InvalidInput as exc:
            raise InvalidInput(f"line {number}", str(exc)) from exc
        known = uow.saved_replies.by_title(ws, language, title)
        if known is None:
            uow.saved_replies.add(SavedReply(0, ws, language, title, body, tags), now=now)
            created += 1
        else:
            uow.saved_replies.update(SavedReply(known.id, ws, language, title, body, tags), now=now)
            updated += 1
    uow.commit()
    return ImportReport(created, updated)


def search_saved_replies(
    uow: UnitOfWork, actor: Actor, query: str = "", *, language: str | None = None
) -> list[SavedReply]:
    actor.require_case_work()
    return uow.saved_replies.search(actor.workspace.id, query, language=language)


def order_number_of_case(uow: UnitOfWork, workspace_id: int, case_id: int) -> str | None:
    """The latest order number triage found in the customer's posts of this case (looked for
    again with the workspace's pattern when the post was triaged without span detection)."""
    pattern = uow.workspaces.order_pattern(workspace_id) or DEFAULT_ORDER_PATTERN
    for post in reversed(uow.posts.for_case(workspace_id, case_id)):
        spans = post.triage.sensitive if post.triage else ()
        if not spans:
            spans = tuple(find_sensitive(post.inbound.text, pattern))
        for span in reversed(spans):
            if span.kind == "order":
                code = _ORDER_CODE.search(post.inbound.text[span.start : span.end].strip())
                if code:
                    return code.group(0).lstrip("#")
    return None


def render_for_case(
    uow: UnitOfWork, actor: Actor, case_id: int, saved_id: int
) -> tuple[SavedReply, RenderedReply]:
    """The saved reply filled in for this case, ready for the composer."""
    actor.require_case_work()
    ws = actor.workspace.id
    saved = uow.saved_replies.get(ws, saved_id)
    case = uow.cases.get(ws, case_id)
    if saved is None or case is None:
        raise NotFound(f"no saved reply {saved_id} for case {case_id}")
    author = uow.authors.get(ws, case.author_id)
    context = build_context(
        author_name=author.name if author else "",
        author_handle=author.handle if author else "",
        agent_name=actor.user.name,
        order_number=order_number_of_case(uow, ws, case.id),
        case_id=case.id,
        custom=uow.customers.profile(case.author_id).fields,
    )
    return saved, render_template(saved.body, context)
