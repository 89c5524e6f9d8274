"""The workspace's desk settings page (owners and admins) and the snooze/merge/split actions.

The form speaks in the units people think in (HH:MM ranges, minutes, hours, one line per day);
this module turns it into the JSON shape of ``DeskSettings`` and back, nothing more.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import Actor
from mentiondesk.desk.accounts import WebSession
from mentiondesk.desk.lifecycle import do_merge_cases, do_snooze_case, do_split_case
from mentiondesk.desk.published_hours import built_in_texts
from mentiondesk.desk.sla_settings import (
    do_update_desk_settings,
    load_desk_settings,
    preview_desk_settings,
    published_schedule,
    text_previews,
)
from mentiondesk.domain.desk_settings import DeskSettings
from mentiondesk.domain.desk_texts import TEXT_KINDS, TEXT_LANGUAGES
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.web.deps import ActorDep, CsrfSessionDep, ServicesDep, SessionDep, WriteActorDep
from mentiondesk.web.rendering import render

router = APIRouter()

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _periods(text: str, what: str) -> list[list[str]]:
    """``"08:00-12:00, 13:00-20:00"`` as pairs; an empty text is a closed day."""
    periods = []
    for part in filter(None, (p.strip() for p in text.split(","))):
        open_, sep, close = part.partition("-")
        if not sep:
            raise InvalidInput(what, f"expected HH:MM-HH:MM, got {part!r}")
        periods.append([open_.strip(), close.strip()])
    return periods


def _seconds(text: str, unit: float, what: str) -> float | None:
    text = text.strip().replace(",", ".")
    if not text:
        return None
    try:
        return float(text) * unit
    except ValueError:
        raise InvalidInput(what, f"expected a number, got {text!r}") from None


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def settings_from_form(form: dict[str, str]) -> dict[str, Any]:
    """The submitted form as ``DeskSettings.to_dict`` keys (validation happens there)."""
    special: dict[str, list[list[str]]] = {}
    for line in _lines(form.get("special_days", "")):
        day, _, hours = line.partition(" ")
        special[day] = _periods(hours, "special_days")
    channels = {}
    for line in _lines(form.get("channels", "")):
        channel, sep, language = line.partition("=")
        if not sep:
            raise InvalidInput("channels", f"expected channel=language, got {line!r}")
        channels[channel.strip()] = language.strip()
    return {
        "time_zone": form.get("time_zone", "").strip(),
        "hours": {
            str(d): periods
            for d in range(7)
            if (periods := _periods(form.get(f"hours_{d}", ""), "hours"))
        },
        "holiday_countries": [
            c.strip() for c in form.get("holiday_countries", "").split(",") if c.strip()
        ],
        "closed_days": _lines(form.get("closed_days", "")),
        "special_days": special,
        "sla": {
            "first_response": _seconds(form.get("first_response", ""), 60, "first_response"),
            "next_response": _seconds(form.get("next_response", ""), 60, "next_response"),
            "resolution": _seconds(form.get("resolution", ""), 3600, "resolution"),
        },
        "follow_up_window": _seconds(form.get("follow_up_window", ""), 3600, "follow_up_window")
        or 0.0,
        "ack_enabled": form.get("ack_enabled") == "on",
        "publish_hours": form.get("publish_hours") == "on",
        "channels": channels,
        "texts": {
            lang: {kind: form.get(f"text_{lang}_{kind}", "") for kind in TEXT_KINDS}
            for lang in TEXT_LANGUAGES
        },
    }


def form_from_settings(s: DeskSettings) -> dict[str, str]:
    def number(value: float | None, unit: float) -> str:
        return "" if value is None else f"{value / unit:.6f}".rstrip("0").rstrip(".")

    return {
        "time_zone": s.time_zone,
        **{
            f"hours_{d}": ", ".join(f"{o}-{c}" for o, c in s.hours.days.get(d, ()))
            for d in range(7)
        },
        "holiday_countries": ", ".join(s.holiday_countries),
        "closed_days": "\n".join(d.isoformat() for d in sorted(s.closed_days)),
        "special_days": "\n".join(
            f"{d.isoformat()} " + ", ".join(f"{o}-{c}" for o, c in periods)
            for d, periods in sorted(s.special_days.items())
        ),
        "first_response": number(s.sla.first_response, 60),
        "next_response": number(s.sla.next_response, 60),
        "resolution": number(s.sla.resolution, 3600),
        "follow_up_window": number(s.follow_up_window, 3600),
        "ack_enabled": "on" if s.ack_enabled else "",
        "publish_hours": "on" if s.publish_hours else "",
        "channels": "\n".join(f"{c}={lang}" for c, lang in sorted(s.channels.items())),
        **{
            f"text_{lang}_{kind}": s.texts.get(lang, {}).get(kind, "")
            for lang in TEXT_LANGUAGES
            for kind in TEXT_KINDS
        },
    }


def _page(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    *,
    form: dict[str, str] | None = None,
    refused: InvalidInput | None = None,
    saved: bool = False,
    preview: DeskSettings | None = None,
) -> Response:
    actor.require_settings()
    now = services.clock.now()
    with services.uow() as uow:
        settings = preview or load_desk_settings(uow, actor.workspace)
        memberships = uow.workspaces.for_user(session.user.id)
    today = now.astimezone(ZoneInfo(settings.time_zone)).date()
    context = {
        "session": session,
        "actor": actor,
        "memberships": memberships,
        "form": form or form_from_settings(settings),
        "weekdays": WEEKDAYS,
        "schedule": published_schedule(settings, today, 7, now=now),
        "schedule_tz": settings.time_zone,
        "error": str(refused) if refused else None,
        "error_field": _form_field(refused.field) if refused else None,
        "error_reason": refused.reason if refused else None,
        "saved": saved,
        "previewing": preview is not None,
        "text_languages": TEXT_LANGUAGES,
        "text_kinds": _TEXT_LABELS,
        "language_names": _LANGUAGE_NAMES,
        "built_in": {lang: built_in_texts(lang) for lang in TEXT_LANGUAGES},
        "previews": text_previews(settings, now=now),
    }
    return render(request, "desk_settings.html", context, status_code=422 if refused else 200)


_FORM_FIELD = {
    "sla.first_response": "first_response",
    "sla.next_response": "next_response",
    "sla.resolution": "resolution",
}
"""Where a settings error names a field by its JSON path, the form input it came from."""

_TEXT_LABELS = {
    "opening": "Opening post ({until}: when the desk closes)",
    "closing": "Closing post ({when}: when it is back)",
    "ack": "Out-of-hours acknowledgement ({when}: when a person answers)",
}
_LANGUAGE_NAMES = {"en": "English", "pl": "Polish", "it": "Italian"}


def _form_field(field: str) -> str:
    if field.startswith("texts."):
        return "text_" + field.removeprefix("texts.").replace(".", "_")
    return _FORM_FIELD.get(field, field)


@router.get("/w/{slug}/settings/desk")
def show_settings(
    request: Request,
    services: ServicesDep,
    session: SessionDep,
    actor: ActorDep,
    slug: str,
    saved: int = 0,
) -> Response:
    return _page(request, services, session, actor, slug, saved=bool(saved))


@router.post("/w/{slug}/settings/desk")
async def save_settings(
    request: Request, services: ServicesDep, session: CsrfSessionDep, actor: ActorDep, slug: str
) -> Response:
    actor.require_settings()
    form = {k: v for k, v in (await request.form()).items() if isinstance(v, str)}
    return await run_in_threadpool(_save_settings, request, services, session, actor, slug, form)


def _save_settings(
    request: Request,
    services: Services,
    session: WebSession,
    actor: Actor,
    slug: str,
    form: dict[str, str],
) -> Response:
    """The blocking part of ``save_settings`` (database, calendars), run in the threadpool."""
    try:
        changes = settings_from_form(form)
        with services.uow() as uow:
            if form.get("preview"):
                preview = preview_desk_settings(uow, actor, changes)
                return _page(request, services, session, actor, slug, form=form, preview=preview)
            do_update_desk_settings(uow, actor, changes, now=services.clock.now())
    except InvalidInput as exc:
        return _page(request, services, session, actor, slug, form=form, refused=exc)
    return RedirectResponse(f"/w/{slug}/settings/desk?saved=1", status_code=303)


def _case_url(slug: str, case_id: int) -> str:
    return f"/w/{slug}/cases/{case_id}"


@router.post("/w/{slug}/cases/{case_id}/snooze")
def snooze(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    until: Annotated[str, Form()],
    version: Annotated[int, Form()],
) -> Response:
    """``until`` is a local wall time of the workspace (what a datetime-local input sends)."""
    try:
        wall = datetime.fromisoformat(until)
    except ValueError:
        raise InvalidInput("until", f"expected a date and time, got {until!r}") from None
    if wall.tzinfo is None:
        wall = wall.replace(tzinfo=ZoneInfo(actor.workspace.time_zone))
    with services.uow() as uow:
        do_snooze_case(
            uow, actor, case_id, wall, now=services.clock.now(), expected_version=version
        )
    return RedirectResponse(f"/w/{slug}/inbox", status_code=303)


@router.post("/w/{slug}/cases/{case_id}/merge")
def merge(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    into: Annotated[int, Form()],
    version: Annotated[int, Form()],
) -> Response:
    with services.uow() as uow:
        target = do_merge_cases(
            uow, actor, case_id, into, now=services.clock.now(), expected_version=version
        )
    return RedirectResponse(_case_url(slug, target.id), status_code=303)


@router.post("/w/{slug}/cases/{case_id}/split")
def split(
    services: ServicesDep,
    actor: WriteActorDep,
    slug: str,
    case_id: int,
    post_ids: Annotated[list[int], Form()],
    version: Annotated[int, Form()],
) -> Response:
    with services.uow() as uow:
        new = do_split_case(
            uow, actor, case_id, post_ids, now=services.clock.now(), expected_version=version
        )
    return RedirectResponse(_case_url(slug, new.id), status_code=303)
