"""Scheduled summary e-mails, on the real app with a real SMTP server: an admin subscribes
members on the page, the sweep sends each period once at its local hour, "send now" says
what the mail server answered, and the command line does the same."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import decode_header, make_header
from email.message import Message
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import update
from typer.testing import CliRunner

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.cli.main import app as cli
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage.tables_schedules import report_schedules
from mentiondesk.web.app import create_app
from mentiondesk.web.sla_sweeper import send_due_summaries
from tests.e2e.conftest import NOW, PASSWORD, Seed, login, raw_post
from tests.smtp import Inbox, smtp_server

ANIA, OLGA, VERA = "ania@skylot.example", "olga@skylot.example", "vera@client.example"


@pytest.fixture
def smtp() -> Iterator[tuple[Inbox, int]]:
    with smtp_server() as server:
        yield server


@pytest.fixture
def services(tmp_path: Path, smtp: tuple[Inbox, int]) -> Iterator[Services]:
    _, port = smtp
    settings = Settings(
        data_dir=tmp_path, smtp_host="127.0.0.1", smtp_port=port, smtp_from="desk@skylot.example"
    )
    built = bootstrap(settings, clock=FixedClock(NOW))
    yield built
    built.close()


@pytest.fixture
def owner(services: Services, seed: Seed) -> None:
    with services.uow() as uow:
        user = do_create_user(uow, OLGA, "Olga", PASSWORD, now=NOW)
        uow.users.set_role(user.id, seed.skylot.id, Role.OWNER)
        uow.commit()


def subject(mail: Message) -> str:
    return str(make_header(decode_header(str(mail["Subject"]))))


def client_for(services: Services) -> TestClient:
    return TestClient(create_app(services), base_url="http://testserver", follow_redirects=False)


def test_an_admin_subscribes_members_and_each_week_is_sent_once(
    services: Services, seed: Seed, owner: None, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    clock = services.clock
    assert isinstance(clock, FixedClock)
    with client_for(services) as page:
        csrf = login(page, OLGA)
        # Refused: nobody chosen; the typed hour stays and the reason sits beside the field.
        refused = page.post(
            "/w/skylot/reports/schedules",
            data={"csrf_token": csrf, "cadence": "weekly", "weekday": "0", "hour": "7"},
        )
        assert refused.status_code == 422
        assert 'id="recipients-error"' in refused.text and 'value="7"' in refused.text
        stranger = page.post(
            "/w/skylot/reports/schedules",
            data={"csrf_token": csrf, "hour": "7", "recipients": ["gino@corvo.example"]},
        )
        assert stranger.status_code == 422 and "not a member" in stranger.text

        added = page.post(
            "/w/skylot/reports/schedules",
            data={
                "csrf_token": csrf,
                "cadence": "weekly",
                "weekday": "0",
                "hour": "8",
                "recipients": [ANIA, VERA],
            },
        )
        assert added.status_code == 303, added.text
        listed = page.get("/w/skylot/reports/schedules")
        assert "weekly on Monday at 08:00" in listed.text and VERA in listed.text
        schedule_id = int(re.search(r"\?preview=(\d+)", listed.text).group(1))  # type: ignore[union-attr]
        shown = page.get(f"/w/skylot/reports/schedules?preview={schedule_id}")
        assert "Weekly summary" in shown.text and "Top complaint topics" in shown.text

    # Created on Monday 16 Nov after 08:00 Warsaw time: last week counts as done.
    assert send_due_summaries(services) == 0
    services.pipeline.ingest(
        seed.skylot,
        raw_post("500", "@skylot lost my luggage again, awful", created_at="2026-11-18T12:00Z"),
        source="t",
    )
    clock.set(datetime(2026, 11, 23, 6, 59, tzinfo=UTC))  # 07:59 in Warsaw: not yet
    assert send_due_summaries(services) == 0
    clock.set(datetime(2026, 11, 23, 7, 0, tzinfo=UTC))
    assert send_due_summaries(services) == 1
    assert send_due_summaries(services) == 0
    (to_ania,) = inbox.to(ANIA)
    assert len(inbox.to(VERA)) == 1 and inbox.to(OLGA) == []
    assert subject(to_ania) == "[Skylot] Weekly summary, 16 Nov – 22 Nov 2026"
    body = to_ania.get_payload(decode=True).decode()
    assert "Lost or damaged baggage" in body and "Backlog now:" in body

    # Even if the schedule forgot it sent the week, the outbox key keeps it to one e-mail.
    with services.uow() as uow:
        uow.connection.execute(update(report_schedules).values(last_period=None))
        uow.commit()
    clock.set(clock.now() + timedelta(hours=3))
    assert send_due_summaries(services) == 0
    assert len(inbox.to(ANIA)) == 1


def test_send_now_reports_what_the_mail_server_said_and_viewers_cannot_change_schedules(
    services: Services, seed: Seed, owner: None, smtp: tuple[Inbox, int]
) -> None:
    inbox, _ = smtp
    runner = CliRunner()
    args = ["--data-dir", str(services.settings.data_dir)]
    added = runner.invoke(
        cli,
        ["report", "schedule", "add", *args, "--workspace", "skylot", "--cadence", "daily",
         "--hour", "9", "--to", ANIA],
    )  # fmt: skip
    assert added.exit_code == 0, added.output
    assert "daily at 09:00" in added.output
    bad = runner.invoke(
        cli, ["report", "schedule", "add", *args, "--workspace", "skylot", "--to", "x@y.example"]
    )
    assert bad.exit_code == 2 and "not a member" in bad.output

    with client_for(services) as viewer:
        csrf = login(viewer, VERA)
        page = viewer.get("/w/skylot/reports/schedules")
        assert page.status_code == 200 and "Send now" not in page.text
        denied = viewer.post("/w/skylot/reports/schedules/1/send-now", data={"csrf_token": csrf})
        assert denied.status_code == 403

    with client_for(services) as admin:
        csrf = login(admin, OLGA)
        sent = admin.post("/w/skylot/reports/schedules/1/send-now", data={"csrf_token": csrf})
        assert sent.status_code == 303
        assert "status=sent" in sent.headers["location"]
        shown = admin.get(sent.headers["location"])
        assert "handed to the mail server" in shown.text
    (mail,) = inbox.to(ANIA)
    assert subject(mail).startswith("[Skylot] Daily summary")

    preview = runner.invoke(
        cli, ["report", "schedule", "preview", *args, "--workspace", "skylot", "1"]
    )
    assert preview.exit_code == 0 and "Subject: [Skylot] Daily summary" in preview.output
    # The command line runs on the system clock: the schedule added above at its "now" has
    # nothing due yet, unless the local hour struck in between.
    due = runner.invoke(cli, ["report", "send-due", *args])
    assert due.exit_code == 0 and re.search(r"^[01] summary e-mail\(s\) due", due.output)
