"""What every open-network fake server shares: a real HTTP server, a request log, and
failures injected on demand.

A platform's fake is a Starlette app built over its own state; ``FakeHTTPServer`` runs it with
uvicorn on 127.0.0.1, on a free port, in a thread (WebSockets included, for streams)::

    with FakeHTTPServer(app, name="fake-mastodon") as server:
        client = MastodonClient(server.base_url, token="t")

``Recorder`` keeps every request the fake received (so a test asserts what reached the
"platform") and a queue of failures to answer the next matching requests with, instead of
carrying them out (``fail_next("rate_limit", path="/api/v1/statuses")``). ``ServedFake`` gives
a platform fake its ``base_url``, ``start``/``stop`` and ``with`` block from its server.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Self
from urllib.parse import parse_qs

import orjson
import uvicorn
from starlette.requests import Request
from starlette.types import ASGIApp

__all__ = ["FakeHTTPServer", "Injected", "RecordedRequest", "Recorder", "ServedFake", "record"]


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # names lower-cased
    body: bytes

    def json(self) -> Any:
        return orjson.loads(self.body) if self.body else None

    def form(self) -> dict[str, str]:
        return {k: v[-1] for k, v in parse_qs(self.body.decode("utf-8", "replace")).items()}

    def param(self, name: str) -> str | None:
        values = self.query.get(name)
        return values[-1] if values else None


@dataclass(slots=True)
class Injected:
    """A failure to answer with: ``kind`` is the platform fake's vocabulary (``rate_limit``,
    ``server_error``, ``timeout``, ...); ``options`` its details."""

    kind: str
    path: str | None = None  # only requests whose path starts with this
    method: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


class Recorder:
    """The fake's memory of requests and its queue of failures to inject; thread-safe."""

    def __init__(self) -> None:
        self.requests: list[RecordedRequest] = []
        self._failures: list[Injected] = []
        self._lock = threading.Lock()

    def fail_next(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        times: int = 1,
        **options: Any,
    ) -> None:
        with self._lock:
            for _ in range(times):
                self._failures.append(Injected(kind, path, method, dict(options)))

    def add(self, request: RecordedRequest) -> Injected | None:
        """Record ``request`` and return the failure it must get, if one is queued for it."""
        with self._lock:
            self.requests.append(request)
            for index, injected in enumerate(self._failures):
                if injected.path is not None and not request.path.startswith(injected.path):
                    continue
                if injected.method is not None and injected.method != request.method:
                    continue
                return self._failures.pop(index)
        return None

    def requests_to(self, method: str, path: str) -> list[RecordedRequest]:
        with self._lock:
            return [r for r in self.requests if r.method == method and r.path == path]


async def record(recorder: Recorder, request: Request) -> tuple[RecordedRequest, Injected | None]:
    """Read ``request`` once, log it, and say which injected failure (if any) answers it."""
    body = await request.body()
    recorded = RecordedRequest(
        method=request.method,
        path=request.url.path,
        query=parse_qs(request.url.query, keep_blank_values=True),
        headers={k.lower(): v for k, v in request.headers.items()},
        body=body,
    )
    return recorded, recorder.add(recorded)


class _Started:
    """A ``with`` block around ``start`` and ``stop``, which an implementation provides."""

    def start(self) -> Self:
        raise NotImplementedError

    def stop(self) -> None:
        raise NotImplementedError

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class FakeHTTPServer(_Started):
    """Runs an ASGI app on 127.0.0.1 for the duration of a ``with`` block."""

    def __init__(
        self, app: ASGIApp, *, name: str = "fake-platform", websockets: bool = False
    ) -> None:
        self.app = app
        self.name = name
        self.websockets = websockets
        self.port = 0
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def start(self) -> Self:
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", 0))
        self.port = sock.getsockname()[1]
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            ws="websockets-sansio" if self.websockets else "none",
            timeout_graceful_shutdown=1,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [sock]}, daemon=True, name=self.name
        )
        self._thread.start()
        deadline = time.monotonic() + 10
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                sock.close()
                raise RuntimeError(f"the {self.name} server did not start")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        if self._server is not None and self._thread is not None:
            self._server.should_exit = True
            self._thread.join(timeout=10)
        self._server = self._thread = None


class ServedFake(_Started):
    """Base of a platform fake served by a ``FakeHTTPServer``: an implementation sets
    ``self._server`` (over its own Starlette app) in ``__init__``; this class gives it the
    address and the lifecycle, so every fake starts and stops the same way."""

    _server: FakeHTTPServer

    @property
    def base_url(self) -> str:
        return self._server.base_url

    def start(self) -> Self:
        self._server.start()
        return self

    def stop(self) -> None:
        self._server.stop()
