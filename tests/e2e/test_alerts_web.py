"""Crisis alerts over HTTP and the command line, on the real app with a real SMTP server:
an injected spike of negative posts raises an alert within 60 s of its onset (simulated
clock), the person on call receives the e-mail, nobody acknowledges so the next person is
mailed after the rota's minutes, and an acknowledgement on the page stops the escalation."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.cli.main import app as cli
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from mentiondesk.web.app import create_app
from mentiondesk.web.sla_sweeper import escalate_alerts
from tests.e2e.conftest import NOW, PASSWORD, Seed, login, raw_post
from tests.smtp import Inbox, smtp_server

ANIA, BARTEK, OLGA = "ania@skylot.example", "bartek@skylot.example", "olga@skylot.example"
ANGRY = "@skylot my bag never arrived, terrible service, nobody answers, I want a refund"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def services(tmp_path: Path, smtp: tuple[Inbox, int]) -> Iterator[Services]:
    """The app configured as an operator would: MENTIONDESK_SMTP_HOST/PORT/FROM."""
    _, port = smtp
    settings = Settings(
        data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_from="desk@skylot.example"
    )
    built = bootstrap(settings, clock=FixedClock(NOW))
    yield built
    built.close()


@pytest.fixture
def people(services: Services, seed: Seed) -> None:
    with services.uow() as uow:
        for email, name, role in [(BARTEK, "Bartek", Role.AGENT), (OLGA, "Olga", Role.OWNER)]:
            user = do_create_user(uow, email, name, PASSWORD, now=NOW)
            uow.users.set_role(user.id, seed.skylot.id, role)
        uow.commit()


def clock(services: Services) -> FixedClock:
    assert isinstance(services.clock, FixedClock)
    return services.clock


def client_for(services: Services) -> TestClient:
    return TestClient(create_app(services), base_url="http://testserver", follow_redirects=False)


def test_spike_alert_email_escalation_and_acknowledgement_on_the_page(
    services: Services, seed: Seed, people: None, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    with client_for(services) as owner:
        csrf = login(owner, OLGA)
        saved = owner.post(
            "/w/skylot/alerts/rota",
            data={
                "csrf_token": csrf,
                "weekday": f"00:00-00:00 {ANIA}, {BARTEK}",
                "weekend": f"00:00-00:00 {BARTEK}",
                "escalate_after": "5",
                "webhook_url": "",
                "webhook_style": "json",
            },
        )
        assert saved.status_code == 303, saved.text
        page = owner.get("/w/skylot/alerts")
        assert f"00:00-00:00 {ANIA}, {BARTEK}" in page.text

    # a quiet hour, then a spike: one angry post every 6 s
    c = clock(services)
    c.set(NOW + timedelta(hours=1))
    onset = c.now()
    for n in range(10):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(
                f"spike-{n}", ANGRY, author_handle=f"angry{n}", created_at=c.now().isoformat()
            ),
            source="t",
        )
        c.set(c.now() + timedelta(seconds=6))

    with client_for(services) as ania:
        login(ania, ANIA)
        listed = ania.get("/api/v1/workspaces/skylot/alerts", params={"state": "open"}).json()
        alert = next(a for a in listed if a["channel"] == "x")
        assert alert["kind"] == "volume"
        started = alert["started_at"].replace("Z", "+00:00")
        raised = alert["raised_at"].replace("Z", "+00:00")
        from datetime import datetime

        delay = datetime.fromisoformat(raised) - datetime.fromisoformat(started)
        assert datetime.fromisoformat(started) == onset
        assert delay <= timedelta(seconds=60), delay
        assert len(alert["posts"]) >= 4  # four voices in a minute raise a surge

        mails = inbox.to(ANIA)
        assert len(mails) == 1 and "Skylot" in str(mails[0]["Subject"])
        assert str(mails[0]["From"]) == "desk@skylot.example"
        assert inbox.to(BARTEK) == []

        badge = ania.get("/w/skylot/alerts/badge")
        assert re.search(r"\d+ open alerts?", badge.text)

        # nobody acknowledges for 5 minutes: Bartek is told
        c.set(datetime.fromisoformat(raised) + timedelta(minutes=5))
        assert escalate_alerts(services) >= 1
        assert len(inbox.to(BARTEK)) >= 1
        assert inbox.to(OLGA) == []

        # Ania acknowledges on the page; escalation to the owners never happens
        page = ania.get(f"/w/skylot/alerts/{alert['id']}")
        assert page.status_code == 200 and "Acknowledge" in page.text
        assert ANGRY in page.text
        token = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
        assert token
        done = ania.post(
            f"/w/skylot/alerts/{alert['id']}/acknowledge", data={"csrf_token": token.group(1)}
        )
        assert done.status_code == 303
        noted = ania.post(
            f"/w/skylot/alerts/{alert['id']}/notes",
            data={"csrf_token": token.group(1), "text": "Lost luggage in Milan, on it"},
        )
        assert noted.status_code == 303
        page = ania.get(f"/w/skylot/alerts/{alert['id']}")
        assert "acknowledged" in page.text and "Lost luggage in Milan, on it" in page.text
        assert ">Acknowledge<" not in page.text
        c.set(c.now() + timedelta(hours=1))
        escalate_alerts(services)
        assert inbox.to(OLGA) == []

        again = ania.post(
            f"/api/v1/workspaces/skylot/alerts/{alert['id']}/acknowledge",
            headers={"X-CSRF-Token": token.group(1)},
        )
        assert again.status_code == 409


def test_a_viewer_sees_alerts_but_cannot_acknowledge_them(
    services: Services, seed: Seed, people: None
) -> None:
    c = clock(services)
    for n in range(8):
        services.pipeline.ingest(
            seed.skylot,
            raw_post(f"v-{n}", ANGRY, author_handle=f"a{n}", created_at=c.now().isoformat()),
            source="t",
        )
        c.set(c.now() + timedelta(seconds=5))
    with client_for(services) as vera:
        csrf = login(vera, "vera@client.example")
        listed = vera.get("/api/v1/workspaces/skylot/alerts").json()
        assert listed
        refused = vera.post(
            f"/api/v1/workspaces/skylot/alerts/{listed[0]['id']}/acknowledge",
            headers={"X-CSRF-Token": csrf},
        )
        assert refused.status_code == 403
        other = vera.get("/api/v1/workspaces/corvo/alerts")
        assert other.status_code == 404


def test_alerts_cli_lists_acknowledges_resolves_and_sweeps(tmp_path: Path) -> None:
    runner = CliRunner()
    args = ["--data-dir", str(tmp_path)]
    created = runner.invoke(
        cli,
        [
            "workspace",
            "create",
            "--slug",
            "skylot",
            "--name",
            "Skylot",
            "--brand-name",
            "Skylot",
            "--handle",
            "x:@skylot",
            "--language",
            "en",
            *args,
        ],
    )
    assert created.exit_code == 0, created.output
    services = bootstrap(Settings(data_dir=tmp_path), clock=FixedClock(NOW))
    try:
        with services.uow() as uow:
            ws = uow.workspaces.get_by_slug("skylot")
        assert ws is not None
        for n in range(8):
            services.pipeline.ingest(
                ws,
                raw_post(
                    f"c-{n}",
                    ANGRY,
                    author_handle=f"c{n}",
                    created_at=(NOW + timedelta(seconds=5 * n)).isoformat(),
                ),
                source="t",
            )
    finally:
        services.close()
    listed = runner.invoke(
        cli, ["alerts", "list", "--workspace", "skylot", "--state", "open", *args]
    )
    assert listed.exit_code == 0, listed.output
    first = listed.output.splitlines()[0].split("\t")
    assert first[1] == "open" and first[2] == "volume"
    acked = runner.invoke(cli, ["alerts", "ack", "--workspace", "skylot", first[0], *args])
    assert acked.exit_code == 0 and "acknowledged" in acked.output
    twice = runner.invoke(cli, ["alerts", "ack", "--workspace", "skylot", first[0], *args])
    assert twice.exit_code == 2 and "acknowledged" in twice.output
    resolved = runner.invoke(
        cli, ["alerts", "resolve", "--workspace", "skylot", first[0], "--note", "done", *args]
    )
    assert resolved.exit_code == 0, resolved.output
    shown = runner.invoke(cli, ["alerts", "list", "--workspace", "skylot", "--json", *args])
    assert f'"id": {first[0]}' in shown.output and '"state": "resolved"' in shown.output
    swept = runner.invoke(cli, ["alerts", "sweep", *args])
    assert swept.exit_code == 0 and "escalated 0 alert(s)" in swept.output
    bad = runner.invoke(cli, ["alerts", "list", "--workspace", "skylot", "--state", "x", *args])
    assert bad.exit_code == 2
