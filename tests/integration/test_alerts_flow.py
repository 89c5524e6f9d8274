"""Crisis alerts end to end on both databases: a surge of negative posts raises one alert
with its posts, the person on call gets an e-mail through a real SMTP server, nobody
acknowledges so it escalates to the next person and then the owners, and an acknowledgement
stops it. SLA breaches take the same road, starting with the case's assignee."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest

from mentiondesk.analytics.alerts import (
    alert_view,
    alerts_for,
    do_acknowledge_alert,
    do_add_alert_note,
    do_escalate_alerts,
    do_resolve_alert,
    do_update_rota,
)
from mentiondesk.bootstrap import Services
from mentiondesk.connectors.notify import RecordingNotifier, SmtpMailer
from mentiondesk.domain.alerts import AlertState
from mentiondesk.domain.errors import InvalidInput, InvalidTransition
from mentiondesk.domain.ports import FixedClock
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk
from tests.smtp import Inbox, smtp_server

ANGRY = "@acme this is a disgrace, my parcel never arrived and nobody answers, refund now"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def hook() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def desk(make_services: ServicesFactory, smtp: tuple[Inbox, int], hook: RecordingNotifier) -> Desk:
    _, port = smtp
    services = make_services(
        notifiers={"email": SmtpMailer("127.0.0.1", port, "alerts@acme.test"), "webhook": hook}
    )
    return build_desk(services)


def set_rota(desk: Desk, **extra: object) -> None:
    raw = {
        "weekday": [
            {"start": "00:00", "end": "00:00", "people": [desk.agent.id, desk.colleague.id]}
        ],
        "weekend": [{"start": "00:00", "end": "00:00", "people": [desk.colleague.id]}],
        "escalate_after": 10,
        "webhook_url": "https://hooks.example.test/alerts",
        "webhook_style": "slack",
    } | extra
    with desk.services.uow() as uow:
        do_update_rota(uow, desk.actor(desk.owner), raw, now=desk.services.clock.now())


def clock_of(services: Services) -> FixedClock:
    assert isinstance(services.clock, FixedClock)
    return services.clock


def spike(desk: Desk, count: int, every_s: int = 5) -> list[int]:
    clock = clock_of(desk.services)
    post_ids = []
    for n in range(count):
        result = desk.ingest(
            text=ANGRY,
            author_handle=f"angry_{n}",
            created_at=clock.now().isoformat(),
        )
        assert result.post_id is not None
        post_ids.append(result.post_id)
        clock.set(clock.now() + timedelta(seconds=every_s))
    return post_ids


def open_alerts(desk: Desk) -> list:  # type: ignore[type-arg]
    with desk.services.uow() as uow:
        return alerts_for(uow, desk.actor(desk.owner), (AlertState.OPEN,))


def test_a_surge_raises_one_alert_within_a_minute_and_mails_the_person_on_call(
    desk: Desk, smtp: tuple[Inbox, int], hook: RecordingNotifier
) -> None:
    inbox, _ = smtp
    set_rota(desk)
    onset = desk.services.clock.now()
    posts = spike(desk, 12)
    alerts = [a for a in open_alerts(desk) if a.channel == "x"]
    assert len(alerts) == 1, alerts
    alert = alerts[0]
    assert alert.kind == "volume"
    assert alert.started_at == onset
    assert alert.raised_at - onset <= timedelta(seconds=60)
    assert set(alert.posts) <= set(posts) and len(alert.posts) >= 4  # four voices in a minute
    assert alert.notified == (desk.agent.id,)
    mails = inbox.to(desk.agent.email)
    assert len(mails) >= 1
    assert "negative posts on x" in str(mails[0]["Subject"])
    assert f"/w/acme/alerts/{alert.id}" in mails[0].get_payload()
    assert inbox.to(desk.colleague.email) == []
    sent = [m for m, _ in hook.sent if m.to == "https://hooks.example.test/alerts"]
    assert sent and "blocks" in sent[0].body and "negative posts" in sent[0].body["text"]
    json.dumps(sent[0].body)


def test_an_unacknowledged_alert_escalates_to_the_next_person_then_the_owners(
    desk: Desk, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    set_rota(desk)
    spike(desk, 8)
    clock = clock_of(desk.services)
    with desk.services.uow() as uow:
        assert do_escalate_alerts(uow, clock.now()) == 0
    assert inbox.to(desk.colleague.email) == []
    clock.set(clock.now() + timedelta(minutes=10))
    with desk.services.uow() as uow:
        assert do_escalate_alerts(uow, clock.now()) >= 1
    assert len(inbox.to(desk.colleague.email)) >= 1
    assert inbox.to(desk.owner.email) == []
    clock.set(clock.now() + timedelta(minutes=10))
    with desk.services.uow() as uow:
        do_escalate_alerts(uow, clock.now())
    assert len(inbox.to(desk.owner.email)) >= 1
    alert = next(a for a in open_alerts(desk) if a.channel == "x")
    assert alert.level == 2 and desk.owner.id in alert.notified


def test_an_acknowledged_alert_stops_escalating_and_can_be_noted_and_resolved(
    desk: Desk, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    set_rota(desk)
    spike(desk, 8)
    clock = clock_of(desk.services)
    alert = next(a for a in open_alerts(desk) if a.channel == "x")
    with desk.services.uow() as uow:
        acked = do_acknowledge_alert(uow, desk.actor(desk.agent), alert.id, now=clock.now())
    assert acked.state is AlertState.ACKNOWLEDGED and acked.acknowledged_by == desk.agent.id
    with desk.services.uow() as uow, pytest.raises(InvalidTransition):
        do_acknowledge_alert(uow, desk.actor(desk.colleague), alert.id, now=clock.now())
    clock.set(clock.now() + timedelta(hours=2))
    with desk.services.uow() as uow:
        do_escalate_alerts(uow, clock.now())
    assert inbox.to(desk.colleague.email) == []
    with desk.services.uow() as uow:
        do_add_alert_note(uow, desk.actor(desk.agent), alert.id, "Courier strike", now=clock.now())
        with pytest.raises(InvalidInput):
            do_add_alert_note(uow, desk.actor(desk.agent), alert.id, "  ", now=clock.now())
    with desk.services.uow() as uow:
        do_resolve_alert(uow, desk.actor(desk.agent), alert.id, now=clock.now())
    with desk.services.uow() as uow:
        view = alert_view(uow, desk.actor(desk.owner), alert.id)
    assert view.alert.state is AlertState.RESOLVED
    assert [n["text"] for n in view.notes] == ["Courier strike"]
    assert view.posts and view.posts[0]["text"] == ANGRY


def test_a_restarted_process_reprimes_and_does_not_raise_the_same_alert_twice(
    desk: Desk,
) -> None:
    set_rota(desk)
    spike(desk, 8)
    assert len([a for a in open_alerts(desk) if a.channel == "x"]) == 1
    desk.services.crisis.forget()
    spike(desk, 2)
    assert desk.services.crisis.primed[desk.workspace.id] >= 8
    assert len([a for a in open_alerts(desk) if a.channel == "x"]) == 1


def test_the_rota_refuses_people_outside_the_workspace_and_bad_times(desk: Desk) -> None:
    with desk.services.uow() as uow, pytest.raises(InvalidInput, match="not members"):
        do_update_rota(
            uow,
            desk.actor(desk.owner),
            {"weekday": [{"start": "09:00", "end": "17:00", "people": [9999]}]},
            now=desk.services.clock.now(),
        )
    with desk.services.uow() as uow, pytest.raises(InvalidInput):
        do_update_rota(
            uow,
            desk.actor(desk.owner),
            {"weekday": [{"start": "9", "end": "17:00", "people": [desk.agent.id]}]},
            now=desk.services.clock.now(),
        )


def test_an_sla_breach_alerts_the_assignee_by_mail(desk: Desk, smtp: tuple[Inbox, int]) -> None:
    from mentiondesk.desk.sla_service import do_record_breaches
    from mentiondesk.desk.sla_settings import do_update_desk_settings

    inbox, _ = smtp
    set_rota(desk)
    clock = clock_of(desk.services)
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"sla": {"first_response": 600}}, now=clock.now()
        )
    case_id = desk.ingest_case()
    desk.assign(desk.owner, case_id, desk.colleague)
    clock.set(clock.now() + timedelta(hours=1))
    with desk.services.uow() as uow:
        do_record_breaches(uow, clock.now())
    sla = [a for a in open_alerts(desk) if a.kind == "sla"]
    assert len(sla) == 1 and sla[0].case_id == case_id
    assert sla[0].notified == (desk.colleague.id,)
    mails = inbox.to(desk.colleague.email)
    assert mails and f"Case {case_id}" in str(mails[0]["Subject"])
