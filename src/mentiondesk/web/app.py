"""The application factory. ``create_app(services)`` is the only way to build the web app."""

from __future__ import annotations

import logging
from pathlib import Path
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException

from mentiondesk import __version__
from mentiondesk.bootstrap import Services
from mentiondesk.desk.api_tokens import TokenRefused
from mentiondesk.domain.errors import (
    ConcurrentChange,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from mentiondesk.web.api import accounts as accounts_api
from mentiondesk.web.api import alerts as alerts_api
from mentiondesk.web.api import channels as channels_api
from mentiondesk.web.api import collaboration as api_collaboration
from mentiondesk.web.api import desk_sla, meta_webhooks
from mentiondesk.web.api import feedback as feedback_api
from mentiondesk.web.api import integrations as integrations_api
from mentiondesk.web.api import labels as label_routes
from mentiondesk.web.api import listening as listening_api
from mentiondesk.web.api import moderation as moderation_api
from mentiondesk.web.api import replies as replies_api
from mentiondesk.web.api import reports as reports_api
from mentiondesk.web.api import routes as api_routes
from mentiondesk.web.api.errors import bounded_numbers, document_errors
from mentiondesk.web.deps import CsrfRejected, LoginRequired, bearer_secret
from mentiondesk.web.docs import install_docs
from mentiondesk.web.headers import SecurityHeaders
from mentiondesk.web.pages import routes as page_routes
from mentiondesk.web.rendering import render_error
from mentiondesk.web.sla_sweeper import sla_lifespan

STATIC = Path(__file__).with_name("static")
log = logging.getLogger(__name__)

STATUS_FOR: dict[type[DomainError], int] = {
    InvalidInput: 422,
    NotFound: 404,
    PermissionDenied: 403,
    InvalidTransition: 409,
    ConcurrentChange: 409,
}


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def create_app(services: Services, *, drain_journal: bool = True) -> FastAPI:
    """The web app and the API; with ``drain_journal`` off (journal mode only), queued webhook
    bodies are left to ``mentiondesk worker`` processes."""
    app = FastAPI(
        title="mentiondesk",
        version=__version__,
        description="Social-media customer-care desk: listen, triage, route, answer, measure.",
        docs_url=None,  # served by install_docs from vendored assets, never a CDN
        redoc_url=None,
        openapi_url="/api/openapi.json",
        lifespan=sla_lifespan,
        dependencies=[Depends(bounded_numbers)],
    )
    app.state.services = services
    app.state.drain_journal = drain_journal
    app.add_middleware(SecurityHeaders, hsts=services.settings.secure_cookies)
    install_docs(app, openapi_url="/api/openapi.json", title="mentiondesk")
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.include_router(api_routes.router)
    app.include_router(label_routes.router)
    app.include_router(listening_api.router)
    app.include_router(moderation_api.router)
    app.include_router(desk_sla.router)
    app.include_router(api_collaboration.router)
    app.include_router(replies_api.router)
    app.include_router(accounts_api.router)
    app.include_router(feedback_api.router)  # before reports' /reports/{table}
    app.include_router(reports_api.router)
    app.include_router(channels_api.router)
    app.include_router(meta_webhooks.router)
    app.include_router(alerts_api.router)
    app.include_router(integrations_api.router)
    app.include_router(page_routes.router)
    _install_error_handlers(app)
    document_errors(app)
    return app


def _install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(LoginRequired)
    async def _login(request: Request, _exc: LoginRequired) -> Response:
        if _is_api(request) and bearer_secret(request) is not None:
            return JSONResponse(
                {
                    "detail": "this route is for people signed in; API tokens work on "
                    "/api/v1/workspaces/{slug}/…"
                },
                status_code=401,
                headers={"WWW-Authenticate": "Bearer"},
            )
        if _is_api(request):
            return JSONResponse({"detail": "not signed in or session expired"}, status_code=401)
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        if request.headers.get("hx-request"):
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        return RedirectResponse(f"/login?next={quote(target)}", status_code=303)

    @app.exception_handler(TokenRefused)
    async def _token(request: Request, exc: TokenRefused) -> Response:
        return JSONResponse(
            {"detail": str(exc)}, status_code=401, headers={"WWW-Authenticate": "Bearer"}
        )

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
            {
                "field": ".".join(str(p) for p in e["loc"] if p != "body") or "body",
                "reason": str(e["msg"]),
            }
            for e in exc.errors()
        ]
        if _is_api(request):
            first = errors[0] if errors else {"field": "body", "reason": "invalid request"}
            return JSONResponse({"detail": {**first, "errors": errors}}, status_code=422)
        return render_error(request, 422, "; ".join(f"{e['field']}: {e['reason']}" for e in errors))

    @app.exception_handler(OverflowError)
    async def _overflow(request: Request, _exc: OverflowError) -> Response:
        """A number past what the database or the calendar can hold: the request's fault."""
        return _invalid(request, InvalidInput("body", "a number is out of range"))

    @app.exception_handler(DataError)
    async def _data(request: Request, _exc: DataError) -> Response:
        return _invalid(request, InvalidInput("body", "a value is out of range for storage"))

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> Response:
        """The last resort: logged with its traceback, answered in the usual shape."""
        log.error("unhandled error on %s %s", request.method, request.url.path, exc_info=exc)
        message = "something went wrong on our side; it has been logged"
        if _is_api(request):
            return JSONResponse({"detail": message}, status_code=500)
        return render_error(request, 500, message)

    def _invalid(request: Request, exc: InvalidInput) -> Response:
        if _is_api(request):
            return JSONResponse({"detail": {"field": exc.field, "reason": exc.reason}}, 422)
        return render_error(request, 422, str(exc))
