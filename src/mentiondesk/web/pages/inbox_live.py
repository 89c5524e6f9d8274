"""The open inbox's live stream: server-sent events from the in-process ``InboxFeed``.

One stream per open inbox page (``EventSource`` in ``static/inbox.js``). Each committed case
change of the workspace arrives as ``event: case`` with ``{"case_id", "kind", "agent_id"}``.
Changes committed by this process come from the feed at once; new cases another process
stored (a JetStream worker, the command line) are found by a cheap look at the newest case
ids every ``WAIT`` seconds, and told as ``opened`` too (each case once);
``event: presence`` with ``{"case_id", "user_id", "name", "state"}`` tells that another agent
is viewing or typing in a case (the agent's own heartbeats are not sent back);
``event: reload`` means changes were dropped and the page should reload its list. A comment
line every ``HEARTBEAT`` seconds keeps proxies from closing an idle stream; at each heartbeat
the session and the membership are checked again, so a signed-out or removed member stops
receiving the workspace's changes. The subscription is dropped when the browser goes away.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from fastapi import APIRouter, Request
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor, actor_for
from mentiondesk.desk.accounts import load_session
from mentiondesk.desk.inbox import cases_opened_after, newest_case_id
from mentiondesk.desk.inbox_feed import InboxChange, PresenceChange
from mentiondesk.domain.errors import DomainError
from mentiondesk.web.deps import ActorDep, ServicesDep, SessionDep
from mentiondesk.web.security import SESSION_COOKIE

router = APIRouter()

HEARTBEAT = 15.0
WAIT = 1.0  # how long one wait for a change lasts before the heartbeat clock is looked at


def _still_allowed(services: Services, token: str, slug: str) -> bool:
    with services.uow() as uow:
        session = load_session(uow, token, now=services.clock.now())
        if session is None:
            return False
        try:
            actor_for(uow, session.user, slug)
        except DomainError:
            return False
    return True


def _opened_elsewhere(services: Services, actor: Actor, after: int) -> list[int]:
    with services.uow() as uow:
        return cases_opened_after(uow, actor, after)


def _newest(services: Services, actor: Actor) -> int:
    with services.uow() as uow:
        return newest_case_id(uow, actor)


class _Told:
    """Which new cases this stream has told, so a case the feed and the look at the newest
    ids both report is told once (ids are not committed in order, so a set, kept small)."""

    def __init__(self) -> None:
        self.ids: set[int] = set()

    def first_time(self, case_id: int) -> bool:
        if case_id in self.ids:
            return False
        self.ids.add(case_id)
        if len(self.ids) > 5000:
            self.ids = set(sorted(self.ids)[-1000:])
        return True


async def _stream(
    services: Services, actor: Actor, token: str, slug: str, heartbeat: float
) -> AsyncIterator[str]:
    feed = services.inbox_feed
    workspace_id = actor.workspace.id
    subscription = feed.subscribe(workspace_id)
    told = _Told()
    try:
        newest = await run_in_threadpool(_newest, services, actor)
        yield "retry: 2000\n: connected\n\n"
        beat = time.monotonic()
        while True:
            try:
                change = await asyncio.wait_for(subscription.queue.get(), timeout=WAIT)
            except TimeoutError:
                for case_id in await run_in_threadpool(_opened_elsewhere, services, actor, newest):
                    newest = max(newest, case_id)
                    if told.first_time(case_id):
                        yield InboxChange(workspace_id, case_id, "opened").as_sse()
                if time.monotonic() - beat < heartbeat:
                    continue
                beat = time.monotonic()
                if not await run_in_threadpool(_still_allowed, services, token, slug):
                    yield "event: signed-out\ndata: {}\n\n"
                    return
                yield ": heartbeat\n\n"
                continue
            if subscription.behind:
                subscription.behind = False
                yield "event: reload\ndata: {}\n\n"
            if isinstance(change, PresenceChange):
                if change.user_id != actor.user.id:
                    yield change.as_sse()
                continue
            if change.kind == "opened" and not told.first_time(change.case_id):
                continue
            yield change.as_sse()
    finally:
        feed.unsubscribe(subscription)


@router.get("/w/{slug}/inbox/events")
async def inbox_events(
    request: Request, services: ServicesDep, session: SessionDep, actor: ActorDep, slug: str
) -> StreamingResponse:
    """New and changed cases of this workspace, as they are committed (text/event-stream)."""
    token = request.cookies.get(SESSION_COOKIE, "")
    return StreamingResponse(
        _stream(services, actor, token, slug, HEARTBEAT),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
