"""The built-in "Breaching in 1 h" view over HTTP: its live count and its cases."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.sla_service import do_record_breaches
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from tests.e2e.conftest import Seed, login, raw_post

VIEW = re.compile(r'href="([^"]+)" class="">Breaching in 1 h <span class="count-badge">(\d+)<')


def _view(client: TestClient) -> tuple[str, int]:
    page = client.get("/w/skylot/inbox").text
    found = VIEW.search(page)
    assert found, page[:2000]
    return found.group(1).replace("&amp;", "&"), int(found.group(2))


def test_breaching_in_an_hour_counts_and_lists_the_cases_due_soon(
    client: TestClient, services: Services, seed: Seed
) -> None:
    clock = services.clock
    assert isinstance(clock, FixedClock)
    login(client, "ania@skylot.example")
    assert _view(client)[1] == 0  # no targets, no clock runs
    with services.uow() as uow:
        ania = uow.users.get_by_email("ania@skylot.example")
        assert ania is not None
        uow.users.set_role(ania.id, seed.skylot.id, Role.ADMIN)
        do_update_desk_settings(
            uow, actor_for(uow, ania, "skylot"), {"sla": {"first_response": 1800}}, now=clock.now()
        )
        do_record_breaches(uow, clock.now())  # the background sweep
    services.pipeline.ingest(
        seed.skylot,
        raw_post(
            "due-1",
            "@skylot where is my refund?",
            author_handle="d1",
            created_at=clock.now().isoformat(),
        ),
        source="t",
    )

    url, count = _view(client)
    listed = client.get(url).text
    # the seeded cases were written on Saturday: their clocks have passed already
    assert count == 1 == len(re.findall(r'<tr class="case-row', listed))
    assert "where is my refund" in listed and "breaching=1h" in url

    clock.set(clock.now() + timedelta(hours=2))  # every clock has passed its target
    with services.uow() as uow:
        do_record_breaches(uow, clock.now())
    assert _view(client)[1] == 0
