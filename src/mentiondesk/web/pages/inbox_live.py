"""The open inbox's live stream: server-sent events from the in-process ``InboxFeed``.

One stream per open inbox page (``EventSource`` in ``static/inbox.js``). Each committed case
change of the workspace arrives as ``event: case`` with ``{"case_id", "kind", "agent_id"}``;
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
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.accounts import load_session
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


async def _stream(
    services: Services, workspace_id: int, token: str, slug: str, heartbeat: float
) -> AsyncIterator[str]:
    feed = services.inbox_feed
    subscription = feed.subscribe(workspace_id)
    try:
        yield "retry: 2000\n: connected\n\n"
        beat = time.monotonic()
        while True:
            try:
                change = await asyncio.wait_for(subscription.queue.get(), timeout=WAIT)
            except TimeoutError:
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
        _stream(services, actor.workspace.id, token, slug, HEARTBEAT),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )
