"""Creating workspaces (one per brand) and their inbound webhook sources."""

from __future__ import annotations

import re
import secrets
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.events import DeskSettingsChanged
from mentiondesk.domain.workspaces import BrandIdentity, WeeklyHours, Workspace
from mentiondesk.storage.unit_of_work import UnitOfWork

SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{1,62}$")


def do_create_workspace(
    uow: UnitOfWork,
    *,
    slug: str,
    name: str,
    brand: BrandIdentity,
    now: datetime,
    time_zone: str = "Europe/Warsaw",
    languages: tuple[str, ...] = ("pl", "it", "en"),
    hours: WeeklyHours | None = None,
    holiday_country: str | None = "PL",
    order_pattern: str | None = None,
) -> Workspace:
    if not SLUG.match(slug):
        raise InvalidInput("slug", "use 2-63 lowercase letters, digits and dashes")
    if uow.workspaces.get_by_slug(slug):
        raise InvalidInput("slug", f"a workspace '{slug}' already exists")
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput("time_zone", f"unknown time zone {time_zone!r}") from None
    if order_pattern:
        try:
            re.compile(order_pattern)
        except re.error as exc:
            raise InvalidInput(
                "order_pattern", f"is not a valid regular expression: {exc}"
            ) from None
    workspace = Workspace(
        id=0,
        slug=slug,
        name=name.strip() or slug,
        brand=brand,
        time_zone=time_zone,
        languages=languages,
        hours=hours or WeeklyHours.office(),
        holiday_country=holiday_country,
    )
    uow.workspaces.add(workspace, now=now, order_pattern=order_pattern)
    # Its first settings: what follows them (the report rollups' empty start) follows here too.
    uow.collect([DeskSettingsChanged(workspace.id, now)])
    uow.commit()
    return workspace


def do_create_source(uow: UnitOfWork, workspace: Workspace, name: str, *, now: datetime) -> str:
    """Register a named inbound webhook source; returns its signing secret (shown once)."""
    if not SLUG.match(name):
        raise InvalidInput("name", "use 2-63 lowercase letters, digits and dashes")
    if uow.sources.get(name):
        raise InvalidInput("name", f"a source '{name}' already exists")
    secret = secrets.token_urlsafe(32)
    uow.sources.add(workspace.id, name, secret, now=now)
    uow.commit()
    return secret
