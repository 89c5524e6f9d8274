"""A fake Graph API on real HTTP, for tests and the offline demo.

``FakeGraphServer`` serves a ``FakeGraph`` as a small ASGI app run by uvicorn on 127.0.0.1, in a
thread, on a free port::

    with FakeGraphServer() as fake:
        fake.graph.add_page("1234", token="page-token")
        client = GraphClient(fake.graph_url)          # http://127.0.0.1:<port>/v25.0
        ...
        fake.graph.requests_to("POST", "/1234_5/comments")

It speaks Graph's wire format: tokens from ``Authorization: Bearer`` or ``access_token``,
parameters as query, form or JSON, the documented success and error bodies, cursor paging, and
the failures of platforms.md §11 on request (``graph.fail_next``): rate limits with their codes
and usage headers, code 190, 5xx, and timeouts (optionally after carrying the request out).
``deliver`` signs and POSTs webhooks the way Meta does (see ``fake_webhooks``).
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mentiondesk.connectors.fake_http import FakeHTTPServer, ServedFake
from mentiondesk.connectors.meta.fake_graph import FakeGraph
from mentiondesk.connectors.meta.fake_webhooks import deliver
from mentiondesk.connectors.meta.fake_wire import RecordedRequest, failure_answer

__all__ = ["DEFAULT_VERSION", "FakeGraphServer", "build_app"]

DEFAULT_VERSION = "v25.0"


def build_app(graph: FakeGraph, version: str = DEFAULT_VERSION) -> Starlette:
    """The ASGI app answering ``/{version}/...`` from ``graph``."""

    async def endpoint(request: Request) -> Response:
        if request.path_params["version"] != version:
            unknown = {"error": {"message": "Unknown API version", "code": 2635}}
            return JSONResponse(unknown, status_code=400)
        path = "/" + request.path_params["path"]
        params = dict(request.query_params)
        body: Any = None
        content_type = request.headers.get("content-type", "")
        if content_type.startswith("application/json"):
            try:
                body = json.loads(await request.body() or b"null")
            except ValueError:
                return JSONResponse({"error": {"message": "bad JSON", "code": 100}}, 400)
        elif content_type.startswith(("application/x-www-form-urlencoded", "multipart/")):
            form = await request.form()
            params |= {k: v for k, v in form.items() if isinstance(v, str)}
        token = params.pop("access_token", None)
        auth = request.headers.get("authorization", "")
        if auth.lower().startswith("bearer "):
            token = auth[7:].strip()
        params.pop("appsecret_proof", None)
        recorded = RecordedRequest(request.method, path, params, body, token)
        injected = graph.record(recorded)
        if injected is not None and injected.kind == "timeout":
            answer = (
                graph.handle(request.method, path, params, body, token) if injected.commit else None
            )
            await asyncio.sleep(injected.delay)
            if answer is None:
                answer = 504, {}, {"error": {"message": "stalled", "code": 2}}
        elif injected is not None:
            answer = failure_answer(injected, path.split("/")[1])
        else:
            answer = graph.handle(request.method, path, params, body, token)
        status, headers, content = answer
        if isinstance(content, str):
            return Response(content, status, headers=headers)
        return JSONResponse(content, status, headers=headers)

    methods = ["GET", "POST", "DELETE"]
    return Starlette(routes=[Route("/{version}/{path:path}", endpoint, methods=methods)])


class FakeGraphServer(ServedFake):
    """Runs the fake on 127.0.0.1 for the duration of a ``with`` block."""

    def __init__(self, graph: FakeGraph | None = None, *, version: str = DEFAULT_VERSION) -> None:
        self.graph = graph or FakeGraph()
        self.version = version
        self._server = FakeHTTPServer(build_app(self.graph, version), name="fake-graph")

    @property
    def graph_url(self) -> str:
        """The base URL a ``GraphClient`` takes, version included."""
        return f"{self.base_url}/{self.version}"

    def deliver(self, url: str, body: dict[str, Any], **options: Any) -> Any:
        """Sign ``body`` with the fake app's secret and POST it to ``url`` as Meta would."""
        return deliver(url, body, self.graph.app_secret, **options)
