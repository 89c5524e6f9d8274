"""How soon a stored post is on an open inbox: from the moment ``pipeline.ingest`` returns (the
post and its case are committed) to the moment an open inbox has it.

    PYTHONPATH=src python benchmarks/bench_live_arrival.py [--posts 200] [--database-url URL]

The real web app runs under uvicorn on a loopback port (SQLite in a temporary folder unless
``--database-url`` names another database); a signed-in agent holds the inbox's event stream
open, as the inbox page does. For each post two times are taken:

- *event*: until the stream delivers the case's ``opened`` event (the feed is told right after
  the commit, inside the ingest call, so it is often there as the call returns; *event, from
  the call* counts from the start of the call instead, an upper bound);
- *on the list*: until, after that event, the list the page then asks for (the rows partial)
  holds the new case, which is what the person sees (the page waits 150 ms to gather events
  that arrive together; that pause is added to this figure).

Method and results: docs/benchmarks-inbox.md.
"""

from __future__ import annotations

import argparse
import json
import re
import socket
import statistics
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx
import uvicorn

from mentiondesk.bootstrap import Services, bootstrap
from mentiondesk.config import Settings
from mentiondesk.desk.accounts import do_create_user
from mentiondesk.desk.workspaces import do_create_workspace
from mentiondesk.domain.workspaces import BrandIdentity, Role
from mentiondesk.web.app import create_app

EMAIL, PASSWORD = "agent@live.test", "quiet violet harbour 47 lanterns"
GATHER_S = 0.150  # the inbox page's pause before reloading the list (static/inbox.js)


def _seed(services: Services) -> None:
    now = datetime.now(UTC)
    with services.uow() as uow:
        ws = do_create_workspace(
            uow,
            slug="live",
            name="Live",
            now=now,
            brand=BrandIdentity(names=("Skylot",), handles={"x": ("@skylot",)}),
        )
        user = do_create_user(uow, EMAIL, "Agent", PASSWORD, now=now)
        uow.users.set_role(user.id, ws.id, Role.AGENT)
        uow.commit()


def _serve(services: Services) -> tuple[uvicorn.Server, str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(create_app(services), host="127.0.0.1", port=port, log_level="warning")
    )
    threading.Thread(target=server.run, daemon=True).start()
    deadline = time.monotonic() + 15
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("the web server did not start")
        time.sleep(0.02)
    return server, f"http://127.0.0.1:{port}"


def _sign_in(client: httpx.Client) -> None:
    token = re.search(r'name="csrf_token" value="([^"]+)"', client.get("/login").text)
    assert token, "the login form carries a CSRF token"
    response = client.post(
        "/login", data={"email": EMAIL, "password": PASSWORD, "csrf_token": token.group(1)}
    )
    assert response.status_code == 303, response.text[:300]


def _pct(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(len(ordered) * q))]


def measure(services: Services, base: str, n: int) -> dict[str, dict[str, float]]:
    with services.uow() as uow:
        live = uow.workspaces.get_by_slug("live")
    assert live is not None
    event_ms: list[float] = []
    bound_ms: list[float] = []
    list_ms: list[float] = []
    with httpx.Client(base_url=base, follow_redirects=False) as client:
        _sign_in(client)
        lister = httpx.Client(base_url=base, cookies=client.cookies)
        with client.stream("GET", "/w/live/inbox/events", timeout=httpx.Timeout(10)) as stream:
            lines = stream.iter_lines()
            next(lines)  # "retry: …": the stream is open
            for i in range(n):
                raw = {
                    "platform": "x",
                    "platform_post_id": f"live-{i}",
                    "text": f"@skylot my bag {i} never arrived",
                    "created_at": datetime.now(UTC).isoformat(),
                    "author_handle": f"customer_{i}",
                    "author_name": f"Customer {i}",
                }
                called = time.perf_counter()
                services.pipeline.ingest(live, raw, source="bench")
                stored = time.perf_counter()
                case_id = None
                for line in lines:
                    if line.startswith("data: "):
                        data = json.loads(line.removeprefix("data: "))
                        if data["kind"] == "opened":
                            case_id = data["case_id"]
                            break
                event_ms.append((time.perf_counter() - stored) * 1000)
                bound_ms.append((time.perf_counter() - called) * 1000)
                rows = lister.get("/w/live/inbox?sort=newest", headers={"HX-Request": "true"})
                assert f'data-case-id="{case_id}"' in rows.text
                list_ms.append((time.perf_counter() - stored) * 1000 + GATHER_S * 1000)
        lister.close()
    return {
        name: {
            "p50_ms": statistics.median(samples),
            "p99_ms": _pct(samples, 0.99),
            "max_ms": max(samples),
        }
        for name, samples in (
            ("event", event_ms),
            ("event, from the call", bound_ms),
            ("on the list", list_ms),
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="mentiondesk-live-") as folder:
        services = bootstrap(Settings(data_dir=Path(folder), database_url=args.database_url))
        _seed(services)
        server, base = _serve(services)
        try:
            results = measure(services, base, args.posts)
        finally:
            server.should_exit = True
            services.close()
    print(f"{args.posts} posts, one at a time, each stored then awaited on the open inbox")
    for name, r in results.items():
        print(
            f"  {name:22} p50 {r['p50_ms']:7.1f} ms  p99 {r['p99_ms']:7.1f} ms  "
            f"max {r['max_ms']:7.1f} ms"
        )


if __name__ == "__main__":
    main()
