"""The open inbox's live stream over a real HTTP server: new and changed cases arrive as
server-sent events soon after commit, only to members of the workspace, with heartbeats, and
the subscription goes away with the browser."""

from __future__ import annotations

import json
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
import pytest

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.case_actions import do_assign_case
from mentiondesk.domain.inbox import InboxFilter
from tests.e2e.conftest import Seed, login, raw_post
from tests.e2e.test_browser import live_url

__all__ = ["live_url"]

DEADLINE = 10.0  # generous: the stream is asserted to arrive, not timed (see the benchmark)


class Listener:
    """One open event stream, read line by line; every wait ends within ``DEADLINE``."""

    def __init__(self, response: httpx.Response) -> None:
        self.response = response
        self._lines = response.iter_lines()

    def _line(self, deadline: float) -> str | None:
        if time.monotonic() > deadline:
            return None
        try:
            return next(self._lines)
        except (httpx.ReadTimeout, StopIteration):
            return None

    def next_event(
        self, kind: str = "case", match: Callable[[dict[str, object]], bool] = lambda d: True
    ) -> dict[str, object]:
        """The next ``kind`` event whose data ``match`` accepts (others are passed over)."""
        deadline = time.monotonic() + DEADLINE
        event = None
        while (line := self._line(deadline)) is not None:
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == kind:
                data: dict[str, object] = json.loads(line.removeprefix("data: "))
                if match(data):
                    return data
        raise AssertionError(f"no {kind!r} event within {DEADLINE} s")

    def saw(self, text: str) -> bool:
        deadline = time.monotonic() + DEADLINE
        while (line := self._line(deadline)) is not None:
            if text in line:
                return True
        return False


@contextmanager
def stream(client: httpx.Client, path: str = "/w/skylot/inbox/events") -> Iterator[Listener]:
    """The inbox's stream, hung up on leaving the block (as a browser leaving the page)."""
    with client.stream("GET", path, timeout=httpx.Timeout(DEADLINE)) as response:
        yield Listener(response)


@pytest.fixture
def ania(live_url: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=live_url, follow_redirects=False) as client:
        login(client, "ania@skylot.example")  # type: ignore[arg-type]
        yield client


def test_a_new_case_reaches_the_open_inbox_as_an_event(
    ania: httpx.Client, services: Services, seed: Seed
) -> None:
    with stream(ania) as listener:
        assert listener.response.status_code == 200
        assert listener.response.headers["content-type"].startswith("text/event-stream")
        services.pipeline.ingest(
            seed.skylot,
            raw_post("live-9", "@skylot where is my bag?", author_handle="lea"),
            source="t",
        )
        opened = listener.next_event(match=lambda d: d["kind"] == "opened")
        services.pipeline.ingest(
            seed.skylot,
            raw_post("live-10", "@skylot still nothing", author_handle="lea", in_reply_to="live-9"),
            source="t",
        )
        follow_up = listener.next_event(match=lambda d: d["kind"] == "post")
    assert follow_up == {"case_id": opened["case_id"], "kind": "post", "agent_id": None}


def test_an_assignment_is_told_with_the_agent(
    ania: httpx.Client, services: Services, seed: Seed
) -> None:
    with stream(ania) as listener:
        with services.uow() as uow:
            user = uow.users.get_by_email("ania@skylot.example")
            assert user is not None
            actor = actor_for(uow, user, "skylot")
            case_id = uow.inbox.page(seed.skylot.id, InboxFilter(page_size=1)).rows[0].case_id
            do_assign_case(uow, actor, case_id, user.id, now=services.clock.now())
        assigned = listener.next_event(match=lambda d: d["kind"] == "assigned")
    assert assigned == {"case_id": case_id, "kind": "assigned", "agent_id": user.id}


def test_other_workspaces_changes_are_not_sent(
    ania: httpx.Client, services: Services, seed: Seed
) -> None:
    with stream(ania) as listener:
        ingest = services.pipeline.ingest
        ingest(seed.corvo, raw_post("c-1", "@corvocoffee freddo!", author_handle="g"), source="t")
        ingest(seed.skylot, raw_post("s-1", "@skylot hello?", author_handle="h"), source="t")
        first = listener.next_event()
    with services.uow() as uow:
        case = uow.cases.get(seed.skylot.id, int(str(first["case_id"])))
    assert case is not None, "the first event is Skylot's, never Corvo's"


def test_a_non_member_cannot_open_the_stream(live_url: str) -> None:
    with httpx.Client(base_url=live_url) as client:
        login(client, "gino@corvo.example")  # type: ignore[arg-type]
        refused = client.get("/w/skylot/inbox/events")
    assert refused.status_code == 404
    with httpx.Client(base_url=live_url, follow_redirects=False) as anonymous:
        assert anonymous.get("/w/skylot/inbox/events").status_code == 303


def test_heartbeats_keep_the_stream_open_and_it_ends_with_the_browser(
    ania: httpx.Client, services: Services, seed: Seed, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentiondesk.web.pages import inbox_live

    monkeypatch.setattr(inbox_live, "HEARTBEAT", 0.5)  # a shorter beat, the same code path
    with stream(ania) as listener:
        assert listener.saw(": heartbeat")
        assert services.inbox_feed.subscribers(seed.skylot.id) == 1
    deadline = time.monotonic() + DEADLINE
    while services.inbox_feed.subscribers(seed.skylot.id) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert services.inbox_feed.subscribers(seed.skylot.id) == 0


def test_a_case_another_process_stored_is_told_once(
    ania: httpx.Client, services: Services, seed: Seed
) -> None:
    worker = bootstrap(services.settings, clock=services.clock, migrate=False)  # its own feed
    try:
        with stream(ania) as listener:
            worker.pipeline.ingest(
                seed.skylot,
                raw_post("elsewhere-1", "@skylot bag lost", author_handle="w"),
                source="t",
            )
            opened = listener.next_event(match=lambda d: d["kind"] == "opened")
            services.pipeline.ingest(
                seed.skylot,
                raw_post("here-1", "@skylot seat broken", author_handle="h"),
                source="t",
            )
            following = listener.next_event(match=lambda d: d["kind"] == "opened")
    finally:
        worker.close()
    with services.uow() as uow:
        first = uow.cases.get(seed.skylot.id, int(str(opened["case_id"])))
        second = uow.cases.get(seed.skylot.id, int(str(following["case_id"])))
    assert first is not None and second is not None
    assert first.thread_key == "elsewhere-1" and second.thread_key == "here-1"
