"""The API documentation page (Swagger UI at ``/api/docs``) with its script and style served
from the ``fastapi-offline`` package (MIT; Swagger UI itself Apache-2.0) under
``/static/docs`` — nothing is loaded from a CDN, and the start-up code is a file of ours so
that the Content-Security-Policy needs no inline script.

No ReDoc page: the ReDoc build in that package cannot resolve the ``$defs`` references that
pydantic writes into inline request schemas, and would show an error instead of the API."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/static/docs"

SWAGGER_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>{title} · API</title>
  <link rel="stylesheet" href="{assets}/swagger-ui.css">
  <link rel="icon" href="{assets}/favicon.png">
</head>
<body>
  <div id="swagger-ui" data-openapi="{openapi}"></div>
  <script src="{assets}/swagger-ui-bundle.js"></script>
  <script src="/static/swagger-init.js"></script>
</body>
</html>
"""


def _assets_dir() -> Path:
    return Path(str(resources.files("fastapi_offline").joinpath("static")))


def install_docs(app: FastAPI, *, openapi_url: str, title: str) -> None:
    """Mount the vendored assets and the documentation page."""
    app.mount(ASSETS_URL, StaticFiles(directory=_assets_dir()), name="docs-assets")
    values = {"title": title, "assets": ASSETS_URL, "openapi": openapi_url}

    @app.get("/api/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return HTMLResponse(SWAGGER_PAGE.format(**values))
