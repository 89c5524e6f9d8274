"""Workspaces (one per brand), users and their role in each workspace."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Role(StrEnum):
    """A user's role in one workspace. ``viewer`` is for the brand's client: read-only."""

    OWNER = "owner"
    ADMIN = "admin"
    AGENT = "agent"
    VIEWER = "viewer"

    @property
    def can_act_on_cases(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN, Role.AGENT)

    @property
    def can_manage_settings(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN)

    @property
    def can_manage_members(self) -> bool:
        return self in (Role.OWNER, Role.ADMIN)


SESSION_KEY_LENGTH = 16
"""How many leading characters of a session's token hash name it in lists and revocations."""


@dataclass(frozen=True, slots=True)
class WeeklyHours:
    """Published opening hours: weekday (0=Monday) -> list of (open "HH:MM", close "HH:MM")."""

    days: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, list[list[str]]]:
        return {str(d): [list(p) for p in periods] for d, periods in sorted(self.days.items())}

    @classmethod
    def from_dict(cls, data: dict[str, list[list[str]]]) -> WeeklyHours:
        return cls({int(d): tuple((p[0], p[1]) for p in periods) for d, periods in data.items()})

    @classmethod
    def office(cls, open_: str = "08:00", close: str = "20:00", weekdays: int = 5) -> WeeklyHours:
        return cls({d: ((open_, close),) for d in range(weekdays)})


@dataclass(slots=True)
class BrandIdentity:
    """The minimum a workspace knows about its brand: names and handles per platform."""

    names: tuple[str, ...] = ()
    handles: dict[str, tuple[str, ...]] = field(default_factory=dict)
    keywords: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()


@dataclass(slots=True)
class Workspace:
    id: int
    slug: str
    name: str
    brand: BrandIdentity
    time_zone: str = "Europe/Warsaw"
    languages: tuple[str, ...] = ("pl", "it", "en")
    hours: WeeklyHours = field(default_factory=WeeklyHours.office)
    holiday_country: str | None = "PL"


@dataclass(slots=True)
class User:
    id: int
    email: str
    name: str
    password_hash: str
    signature: str = ""
    is_active: bool = True


@dataclass(frozen=True, slots=True)
class Membership:
    user_id: int
    workspace_id: int
    role: Role
