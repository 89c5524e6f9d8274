"""Jinja2 templates with the filters the pages need (local times, relative ages)."""

from __future__ import annotations

import re
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from mentiondesk.domain.business_time import business_span
from mentiondesk.web.post_text import initials, linked_text, post_images

TEMPLATES = Path(__file__).with_name("templates")


def local_time(value: datetime | None, tz: str = "UTC", fmt: str = "%a %d %b %H:%M") -> str:
    if value is None:
        return ""
    return value.astimezone(ZoneInfo(tz)).strftime(fmt)


def safe_url(value: str | None) -> str | None:
    """The URL when it is http(s), else None: a ``javascript:`` or ``data:`` URL from a post
    must never become a link."""
    if not value:
        return None
    candidate = value.strip()
    scheme, sep, rest = candidate.partition(":")
    if not sep or scheme.lower() not in ("http", "https") or not rest.startswith("//"):
        return None
    if any(ord(c) < 33 for c in candidate):
        return None
    return candidate


_BUSINESS_SECONDS = re.compile(r"(\d+) business seconds")


def business_seconds_in_hours(reason: str | None) -> str:
    """Older audit reasons said "86400 business seconds"; people read "24 business hours"."""
    return _BUSINESS_SECONDS.sub(lambda m: business_span(float(m.group(1))), reason or "")


def why_lines(mentions: Any) -> list[tuple[str, int]]:
    """One "why matched" line per distinct reason, with how often it matched, in order."""
    counts: dict[str, int] = {}
    for m in mentions:
        line = (m.reason or m.kind.value) + (f" ({m.source})" if m.source else "")
        counts[line] = counts.get(line, 0) + 1
    return list(counts.items())


def duration(seconds: float | None) -> str:
    if seconds is None:
        return ""
    minutes = int(seconds // 60)
    if minutes < 60:
        return f"{minutes} min"
    hours, minutes = divmod(minutes, 60)
    if hours < 48:
        return f"{hours} h {minutes:02d} min"
    return f"{hours // 24} d {hours % 24} h"


@cache
def templates() -> Jinja2Templates:
    t = Jinja2Templates(directory=TEMPLATES)
    t.env.filters["local"] = local_time
    t.env.filters["duration"] = duration
    t.env.filters["why_lines"] = why_lines
    t.env.filters["business_seconds_in_hours"] = business_seconds_in_hours
    t.env.filters["safe_url"] = safe_url
    t.env.filters["initials"] = initials
    t.env.filters["linked"] = linked_text
    t.env.filters["images"] = post_images
    return t


def render(
    request: Request, name: str, context: dict[str, Any], status_code: int = 200
) -> HTMLResponse:
    return templates().TemplateResponse(request, name, context, status_code=status_code)


def render_error(request: Request, status: int, message: str) -> HTMLResponse:
    """The error page; for an htmx request, only the message (``static/errors.js`` shows it
    as a toast, so the page the person is on stays as it was)."""
    name = "_htmx_error.html" if request.headers.get("hx-request") else "error.html"
    return render(request, name, {"status": status, "message": message}, status_code=status)


INLINE_ERROR = {"X-Inline-Error": "1"}
"""Headers of a 4xx answer that re-renders its own fragment with the error in place: htmx
swaps it in like a success (``static/errors.js``)."""
