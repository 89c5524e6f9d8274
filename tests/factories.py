"""Builders for test data: raw inbound posts, workspaces, users with roles, and a small driver
that performs desk actions the way a shell does (one unit of work per call, as one user)."""

from __future__ import annotations

import itertools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor, actor_for
from mentiondesk.desk.accounts import do_set_role, hash_password
from mentiondesk.desk.case_actions import (
    do_assign_case,
    do_reopen_case,
    do_resolve_case,
    do_send_reply,
)
from mentiondesk.desk.inbox import CaseView, case_view, inbox_page
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.cases import Case
from mentiondesk.domain.inbox import InboxFilter, InboxPage
from mentiondesk.domain.posts import InboundPost
from mentiondesk.domain.replies import Reply
from mentiondesk.domain.triage import TriageResult
from mentiondesk.domain.workspaces import BrandIdentity, Role, User, Workspace
from mentiondesk.pipeline.runner import IngestResult
from mentiondesk.triage.fake import FakeTriager

DEFAULT_PASSWORD = "correct horse battery staple"

_post_ids = itertools.count(1)
_reply_keys = itertools.count(1)


def raw_post(**overrides: Any) -> dict[str, Any]:
    """An inbound post as a channel delivers it: a customer tagging @acme on X.

    Every call gets a new ``platform_post_id`` unless one is given; a key given as None is
    left out of the payload."""
    post: dict[str, Any] = {
        "platform": "x",
        "platform_post_id": f"x-{next(_post_ids)}",
        "text": "@acme my parcel 4411 still has not arrived, can you check?",
        "created_at": "2026-03-10T08:00:00+00:00",
        "author_handle": "anna_k",
        "author_name": "Anna Kowalska",
        "author_followers": 120,
        "lang": "en",
    }
    post.update(overrides)
    return {k: v for k, v in post.items() if v is not None}


def acme_brand() -> BrandIdentity:
    return BrandIdentity(
        names=("Acme",),
        handles={"x": ("@acme",), "instagram": ("@acme.pl",), "facebook": ("@AcmePolska",)},
    )


def create_workspace(
    services: Services, slug: str = "acme", name: str = "Acme", **kwargs: Any
) -> Workspace:
    kwargs.setdefault("brand", acme_brand())
    with services.uow() as uow:
        return do_create_workspace(uow, slug=slug, name=name, now=services.clock.now(), **kwargs)


@cache
def default_password_hash() -> str:
    """One real argon2 hash, computed once: hashing costs too much to repeat per user."""
    return hash_password(DEFAULT_PASSWORD)


def create_user(services: Services, email: str, name: str = "") -> User:
    """A user whose password is DEFAULT_PASSWORD (account tests create users the slow,
    real way through ``do_create_user``)."""
    with services.uow() as uow:
        user = uow.users.add(
            email,
            name or email.partition("@")[0].title(),
            default_password_hash(),
            now=services.clock.now(),
        )
        uow.commit()
        return user


def grant(services: Services, user: User, workspace: Workspace, role: Role) -> None:
    with services.uow() as uow:
        do_set_role(uow, user.email, workspace.slug, role)


def create_member(services: Services, workspace: Workspace, email: str, role: Role) -> User:
    user = create_user(services, email)
    grant(services, user, workspace, role)
    return user


class ScriptedTriager:
    """Labels posts like the basic triager, except for the fields scripted per
    ``platform_post_id`` (e.g. ``{"x-9": {"priority": 90, "needs_reply": False}}``)."""

    def __init__(self, script: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.script: dict[str, Mapping[str, Any]] = dict(script or {})
        self._basic = FakeTriager()

    def triage(
        self,
        post: InboundPost,
        *,
        mentioned: bool,
        languages: Sequence[str],
        now: datetime,
        order_pattern: str | None = None,
    ) -> TriageResult:
        result = self._basic.triage(
            post, mentioned=mentioned, languages=languages, now=now, order_pattern=order_pattern
        )
        return replace(result, **self.script.get(post.platform_post_id, {}))


def minutes_before(at: datetime, minutes: int) -> str:
    return (at - timedelta(minutes=minutes)).isoformat()


@dataclass
class Desk:
    """One workspace with its people, driven through the same service functions as the web app."""

    services: Services
    workspace: Workspace
    owner: User
    agent: User
    colleague: User
    viewer: User

    # -- inbound ----------------------------------------------------------------------------
    def ingest(self, **overrides: Any) -> IngestResult:
        return self.services.pipeline.ingest(self.workspace, raw_post(**overrides), source="test")

    def ingest_case(self, **overrides: Any) -> int:
        """Ingest a post that opens a case, and return the case id."""
        result = self.ingest(**overrides)
        assert result.status == "created" and result.case_id is not None, result
        return result.case_id

    # -- actions, each in its own unit of work, as ``user`` ---------------------------------
    def actor(self, user: User, slug: str | None = None) -> Actor:
        with self.services.uow() as uow:
            return actor_for(uow, user, slug or self.workspace.slug)

    def assign(self, user: User, case_id: int, assignee: User | None, **kw: Any) -> Case:
        with self.services.uow() as uow:
            actor = actor_for(uow, user, self.workspace.slug)
            assignee_id = assignee.id if assignee else None
            return do_assign_case(
                uow, actor, case_id, assignee_id, now=self.services.clock.now(), **kw
            )

    def reply(
        self,
        user: User,
        case_id: int,
        text: str = "Sorry about that, we are on it.",
        *,
        key: str | None = None,
        **kw: Any,
    ) -> Reply:
        if key is None:
            key = f"key-{next(_reply_keys)}"
        with self.services.uow() as uow:
            actor = actor_for(uow, user, self.workspace.slug)
            return do_send_reply(
                uow, actor, case_id, text, idempotency_key=key, now=self.services.clock.now(), **kw
            )

    def resolve(self, user: User, case_id: int, **kw: Any) -> Case:
        with self.services.uow() as uow:
            actor = actor_for(uow, user, self.workspace.slug)
            return do_resolve_case(uow, actor, case_id, now=self.services.clock.now(), **kw)

    def reopen(self, user: User, case_id: int, **kw: Any) -> Case:
        with self.services.uow() as uow:
            actor = actor_for(uow, user, self.workspace.slug)
            return do_reopen_case(uow, actor, case_id, now=self.services.clock.now(), **kw)

    def deliver(self, reply: Reply) -> Reply:
        return self.services.outbox.deliver(self.workspace.id, reply.id)

    # -- reads ------------------------------------------------------------------------------
    def view(self, user: User, case_id: int) -> CaseView:
        with self.services.uow() as uow:
            return case_view(uow, actor_for(uow, user, self.workspace.slug), case_id)

    def inbox(self, user: User, **filters: Any) -> InboxPage:
        with self.services.uow() as uow:
            actor = actor_for(uow, user, self.workspace.slug)
            return inbox_page(uow, actor, InboxFilter(**filters))

    def case(self, case_id: int) -> Case:
        with self.services.uow() as uow:
            case = uow.cases.get(self.workspace.id, case_id)
            assert case is not None, f"case {case_id} is not in {self.workspace.slug}"
            return case


def build_desk(services: Services, slug: str = "acme", name: str = "Acme") -> Desk:
    workspace = create_workspace(services, slug, name)
    return Desk(
        services=services,
        workspace=workspace,
        owner=create_member(services, workspace, f"owner@{slug}.test", Role.OWNER),
        agent=create_member(services, workspace, f"agent@{slug}.test", Role.AGENT),
        colleague=create_member(services, workspace, f"colleague@{slug}.test", Role.AGENT),
        viewer=create_member(services, workspace, f"viewer@{slug}.test", Role.VIEWER),
    )
