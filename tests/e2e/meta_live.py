"""A running mentiondesk (uvicorn on a free port) beside a running fake Graph server, with one
workspace, an owner and an agent: what the Meta channel tests and the latency measurement use."""

from __future__ import annotations

import re
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import uvicorn

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.connectors.meta.fake_server import FakeGraphServer
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.workspaces import BrandIdentity, Role, Workspace
from mentiondesk.web.app import create_app

PAGE = "1234567890321"
PAGE_TOKEN = "page-token-skylot"
IG = "17841405726653026"
VERIFY_TOKEN = "meatyhamhock-verify"
PASSWORD = "correct-horse-battery"
OWNER = "olga@skylot.example"
AGENT = "ania@skylot.example"


class ShiftedClock:
    """The real time, moved on by ``advance`` (to let a retry fall due without waiting)."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def now(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, by: timedelta) -> None:
        self.offset += by


@dataclass
class Live:
    services: Services
    fake: FakeGraphServer
    base_url: str
    workspace: Workspace
    clock: ShiftedClock
    clients: list[httpx.Client] = field(default_factory=list)

    @property
    def webhook_url(self) -> str:
        return f"{self.base_url}/webhooks/meta"

    def client(self, email: str) -> tuple[httpx.Client, str]:
        """A signed-in browser-like client and its CSRF token."""
        client = httpx.Client(base_url=self.base_url, follow_redirects=False, timeout=10)
        self.clients.append(client)
        form = client.get("/login")
        token = re.search(r'name="csrf_token" value="([^"]+)"', form.text)
        assert token
        answer = client.post(
            "/login",
            data={"email": email, "password": PASSWORD, "csrf_token": token.group(1), "next": "/"},
        )
        assert answer.status_code == 303, answer.text
        page = client.get("/", follow_redirects=True)
        csrf = re.search(r'"X-CSRF-Token": "([^"]+)"', page.text)
        assert csrf
        return client, csrf.group(1)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_desk(data_dir: Path, *, database_url: str | None = None) -> Iterator[Live]:
    with FakeGraphServer() as fake:
        fake.graph.add_page(PAGE, PAGE_TOKEN, name="Skylot")
        fake.graph.add_instagram(IG, PAGE_TOKEN, page_id=PAGE)
        clock = ShiftedClock()
        settings = Settings(
            data_dir=data_dir,
            database_url=database_url,
            meta_app_id=fake.graph.app_id,
            meta_app_secret=fake.graph.app_secret,
            meta_verify_token=VERIFY_TOKEN,
            meta_graph_url=fake.graph_url,
            meta_dialog_url="https://www.facebook.com/v25.0/dialog/oauth",
        )
        services = bootstrap(settings, clock=clock)
        now = clock.now()
        with services.uow() as uow:
            workspace = do_create_workspace(
                uow,
                slug="skylot",
                name="Skylot",
                now=now,
                brand=BrandIdentity(names=("Skylot",), handles={"facebook": ("Skylot",)}),
            )
            for email, name, role in [(OWNER, "Olga", Role.OWNER), (AGENT, "Ania", Role.AGENT)]:
                user = do_create_user(uow, email, name, PASSWORD, now=now)
                uow.users.set_role(user.id, workspace.id, role)
            uow.commit()
        port = _free_port()
        config = uvicorn.Config(
            create_app(services), host="127.0.0.1", port=port, log_level="warning", lifespan="on"
        )
        server = uvicorn.Server(config)
        thread = threading.Thread(target=server.run, daemon=True)
        thread.start()
        deadline = time.monotonic() + 15
        while not server.started:
            assert time.monotonic() < deadline, "mentiondesk did not start"
            time.sleep(0.02)
        live = Live(services, fake, f"http://127.0.0.1:{port}", workspace, clock)
        try:
            yield live
        finally:
            for client in live.clients:
                client.close()
            server.should_exit = True
            thread.join(timeout=10)
            services.close()
