"""The application factory. ``create_app(services)`` is the only way to build the web app."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from mentiondesk import __version__
from mentiondesk.bootstrap import Services
from mentiondesk.domain.errors import (
    ConcurrentChange,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from mentiondesk.web.api import collaboration as api_collaboration
from mentiondesk.web.api import desk_sla
from mentiondesk.web.api import labels as label_routes
from mentiondesk.web.api import listening as listening_api
from mentiondesk.web.api import moderation as moderation_api
from mentiondesk.web.api import replies as replies_api
from mentiondesk.web.api import reports as reports_api
from mentiondesk.web.api import routes as api_routes
from mentiondesk.web.deps import CsrfRejected, LoginRequired
from mentiondesk.web.pages import routes as page_routes
from mentiondesk.web.rendering import render_error
from mentiondesk.web.sla_sweeper import sla_lifespan

STATIC = Path(__file__).with_name("static")

STATUS_FOR: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    PermissionDenied: 403,
    InvalidTransition: 409,
    ConcurrentChange: 409,
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(services: Services) -> FastAPI:
    app = FastAPI(
        title="mentiondesk",
        version=__version__,
        description="Social-media customer-care desk: listen, triage, route, answer, measure.",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=sla_lifespan,
    )
    app.state.services = services
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_routes.router)
    app.include_router(label_routes.router)
    app.include_router(listening_api.router)
    app.include_router(moderation_api.router)
    app.include_router(desk_sla.router)
    app.include_router(api_collaboration.router)
    app.include_router(replies_api.router)
    app.include_router(reports_api.router)
    app.include_router(page_routes.router)
    _install_error_handlers(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": "not signed in or session expired"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(CsrfRejected)
    async def _csrf(request: Request, _exc: CsrfRejected) -> Response:
        message = "missing or wrong CSRF token; reload the page and try again"
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=403)
        return render_error(request, 403, message)

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        status = next((s for t, s in STATUS_FOR.items() if isinstance(exc, t)), 400)
        if _is_api(request):
            detail: object = str(exc)
            if isinstance(exc, InvalidInput):
                detail = {"field": exc.field, "reason": exc.reason}
            return JSONResponse({"detail": detail}, status_code=status)
        return render_error(request, status, str(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        if _is_api(request):
            return JSONResponse(
                {"detail": exc.detail}, status_code=exc.status_code, headers=exc.headers
            )
        message = "page not found" if exc.status_code == 404 else str(exc.detail)
        return render_error(request, exc.status_code, message)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [
            {"field": ".".join(str(p) for p in e["loc"] if p != "body"), "reason": e["msg"]}
            for e in exc.errors()
        ]
        if _is_api(request):
            return JSONResponse({"detail": errors}, status_code=422)
        return render_error(request, 422, "; ".join(f"{e['field']}: {e['reason']}" for e in errors))
