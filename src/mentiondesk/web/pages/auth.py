"""Sign in and out. The login form has its own double-submit CSRF token (no session yet).

Failed sign-ins are throttled per account and per client address (``desk/sign_in.py``): the
page says how long to wait, or until when the account is locked."""

from __future__ import annotations

import math
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from mentiondesk.desk.accounts import SESSION_LIFETIME, do_close_session, do_open_session
from mentiondesk.desk.sign_in import SignInResult, do_sign_in
from mentiondesk.web.deps import CsrfSessionDep, ServicesDep, optional_session
from mentiondesk.web.rendering import render
from mentiondesk.web.security import LOGIN_CSRF_COOKIE, SESSION_COOKIE, new_token, tokens_match

router = APIRouter()


def _safe_next(target: str | None) -> str:
    """Only local paths: never redirect a signed-in user to another site."""
    if target and target.startswith("/") and not target.startswith("//"):
        return target
    return "/"


@router.get("/login")
def login_form(request: Request, services: ServicesDep, next: str | None = None) -> Response:
    token = new_token()
    response = render(
        request, "login.html", {"csrf": token, "next": _safe_next(next), "error": None}
    )
    response.set_cookie(
        LOGIN_CSRF_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        secure=services.settings.secure_cookies,
        max_age=3600,
    )
    return response


@router.post("/login")
def login(
    request: Request,
    services: ServicesDep,
    email: Annotated[str, Form()],
    password: Annotated[str, Form()],
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    if not tokens_match(request.cookies.get(LOGIN_CSRF_COOKIE), csrf_token):
        return render(
            request,
            "login.html",
            {
                "csrf": csrf_token,
                "next": _safe_next(next),
                "error": "The form expired. Please try again.",
            },
            status_code=403,
        )
    now = services.clock.now()
    address = request.client.host if request.client else ""
    with services.uow() as uow:
        result = do_sign_in(uow, email, password, address=address, now=now)
        user = result.user
        if user is None:
            refused = _refusal(result, now)
            page = render(
                request,
                "login.html",
                {
                    "csrf": csrf_token,
                    "next": _safe_next(next),
                    "error": refused,
                    "email": email[:320],
                    "locked": result.locked,
                },
                status_code=429 if result.refused else 401,
            )
            if result.retry_at is not None:
                wait = max(1, math.ceil((result.retry_at - now).total_seconds()))
                page.headers["Retry-After"] = str(wait)
            return page
        token, _session = do_open_session(
            uow,
            user,
            now=now,
            user_agent=request.headers.get("user-agent", ""),
            ip_address=address,
        )
    response = RedirectResponse(_safe_next(next), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="lax",
        secure=services.settings.secure_cookies,
        max_age=int(SESSION_LIFETIME.total_seconds()),
    )
    response.delete_cookie(LOGIN_CSRF_COOKIE)
    return response


def _refusal(result: SignInResult, now: datetime) -> str:
    """What the login page says: wrong password, how long to wait, or until when it is locked
    (a refused try never says whether the password was right)."""
    wrong = "" if result.refused else "Wrong e-mail or password. "
    if result.retry_at is None:
        return "Wrong e-mail or password."
    if result.locked:
        return (
            f"{wrong}Too many failed sign-ins: sign-in is locked until "
            f"{result.retry_at:%H:%M} UTC ({result.retry_at:%d %b %Y}). "
            "An owner or admin can reset your password meanwhile."
        )
    wait = max(1, math.ceil((result.retry_at - now).total_seconds()))
    return f"{wrong}Too many failed sign-ins: wait {wait} seconds before trying again."


@router.post("/logout")
def logout(request: Request, services: ServicesDep, _session: CsrfSessionDep) -> Response:
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with services.uow() as uow:
            do_close_session(uow, token)
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response


@router.get("/")
def home(request: Request, services: ServicesDep) -> Response:
    session = optional_session(request, services)
    if session is None:
        return RedirectResponse("/login", status_code=303)
    with services.uow() as uow:
        memberships = uow.workspaces.for_user(session.user.id)
    if len(memberships) == 1:
        return RedirectResponse(f"/w/{memberships[0][0].slug}/inbox", status_code=303)
    return render(request, "home.html", {"session": session, "memberships": memberships})
