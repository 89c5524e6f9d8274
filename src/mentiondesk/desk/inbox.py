"""What an agent sees: the inbox page and one case with its thread and the author's history."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from mentiondesk.desk.access import Actor
from mentiondesk.domain.cases import Case
from mentiondesk.domain.errors import NotFound
from mentiondesk.domain.inbox import ASSIGNEE_UNASSIGNED, InboxFilter, InboxPage, InboxRow
from mentiondesk.domain.posts import Post
from mentiondesk.domain.replies import Reply
from mentiondesk.domain.workspaces import Membership, User
from mentiondesk.storage.unit_of_work import UnitOfWork


def inbox_page(uow: UnitOfWork, actor: Actor, f: InboxFilter) -> InboxPage:
    return uow.inbox.page(actor.workspace.id, f)


def newest_case_id(uow: UnitOfWork, actor: Actor) -> int:
    return uow.inbox.newest_case_id(actor.workspace.id)


def cases_opened_after(uow: UnitOfWork, actor: Actor, after: int) -> list[int]:
    """Cases opened after case ``after``: how an open inbox learns of cases that another
    process (a worker, the command line) stored, which the in-process feed never sees."""
    return uow.inbox.opened_after(actor.workspace.id, after)


def next_case_id(uow: UnitOfWork, actor: Actor, *, now: datetime) -> int | None:
    """The case to work on next: the most urgent awake active case, mine or nobody's first."""
    for assignee in (actor.user.id, ASSIGNEE_UNASSIGNED, None):
        page = uow.inbox.page(
            actor.workspace.id, InboxFilter(assignee_id=assignee, awake_at=now, page_size=1)
        )
        if page.rows:
            return page.rows[0].case_id
    return None


@dataclass(frozen=True, slots=True)
class ThreadEntry:
    """One line of a case's conversation: a customer post or a brand reply."""

    post: Post | None = None
    reply: Reply | None = None
    reply_author: str | None = None

    @property
    def at(self) -> Any:
        if self.post is not None:
            return self.post.inbound.created_at
        assert self.reply is not None
        return self.reply.created_at


@dataclass(frozen=True, slots=True)
class CaseView:
    case: Case
    author: Any
    thread: tuple[ThreadEntry, ...]
    earlier_cases: tuple[InboxRow, ...]
    agents: tuple[tuple[User, Membership], ...]

    @property
    def first_post(self) -> Post | None:
        return next((e.post for e in self.thread if e.post is not None), None)


def case_view(uow: UnitOfWork, actor: Actor, case_id: int) -> CaseView:
    case = uow.cases.get(actor.workspace.id, case_id)
    if case is None:
        raise NotFound(f"no case {case_id}")
    posts = uow.posts.for_case(actor.workspace.id, case.id)
    members = uow.users.members(actor.workspace.id)
    names = {user.id: user.name for user, _ in members}
    if (system_id := uow.lifecycle.system_user_id(create=False, now=case.opened_at)) is not None:
        names[system_id] = "Automatic reply"  # out-of-hours acknowledgements
    replies = uow.replies.for_case(actor.workspace.id, case.id)
    entries = [ThreadEntry(post=p) for p in posts] + [
        ThreadEntry(reply=r, reply_author=names.get(r.user_id, "former member")) for r in replies
    ]
    entries.sort(key=lambda e: e.at)
    return CaseView(
        case=case,
        author=uow.authors.get(actor.workspace.id, case.author_id),
        thread=tuple(entries),
        earlier_cases=tuple(
            uow.inbox.cases_of_author(actor.workspace.id, case.author_id, before=case.id)
        ),
        agents=tuple((u, m) for u, m in members if m.role.can_act_on_cases),
    )
