"""A workspace's reply policy: what the guard enforces and how agents sign their replies.

Stored as JSON under ``workspaces.settings["replies"]`` so a new knob needs no migration; every
value is validated here, once, so a typo in a settings form never reaches the guard as a crash.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.replies.guard import GuardSettings, HotlineSchedule

__all__ = [
    "CONTACT_KINDS",
    "ReplyPolicy",
    "SignatureMode",
    "hotline_from_form",
    "hotline_hours_text",
    "sign",
]

CONTACT_KINDS: tuple[str, ...] = ("phones", "emails", "websites")
MAX_CONTACTS = 10
_PHONE = re.compile(r"^\+?[\d\s().\-/]{6,30}$")
_EMAIL = re.compile(r"^[^@\s]{1,64}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}$")
_WEBSITE = re.compile(r"^(?:https?://)?[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}(?:/\S*)?$")
_PERIOD = re.compile(r"^\s*(\d{1,2}(?::\d{2})?)\s*[-–]\s*(\d{1,2}(?::\d{2})?)\s*$")


class SignatureMode(StrEnum):
    ALWAYS = "always"
    NEVER = "never"
    PUBLIC_ONLY = "public_only"


@dataclass(frozen=True, slots=True)
class ReplyPolicy:
    """``signature_format`` holds ``{signature}`` (the agent's own, e.g. "Ania" -> "^Ania").
    ``contacts`` are the workspace's own hotline numbers, support addresses and websites
    (``{"phones": [...], "emails": [...], "websites": [...]}``): a reply may always give them."""

    requires_signature: bool = False
    signature_mode: SignatureMode = SignatureMode.NEVER
    signature_format: str = "^{signature}"
    duplicate_threshold: float = 0.9
    hotline: Mapping[str, Any] | None = field(default=None)
    max_attempts: int = 5
    contacts: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def contact_values(self) -> tuple[str, ...]:
        return tuple(v for kind in CONTACT_KINDS for v in self.contacts.get(kind, ()))

    def guard_settings(
        self, *, time_zone: str, order_pattern: str | None, brand_handles: tuple[str, ...]
    ) -> GuardSettings:
        return GuardSettings(
            requires_signature=self.requires_signature,
            duplicate_threshold=self.duplicate_threshold,
            hotline=HotlineSchedule.from_dict(self.hotline) if self.hotline else None,
            time_zone=time_zone,
            order_pattern=order_pattern,
            brand_handles=brand_handles,
            brand_contacts=self.contact_values(),
        )

    def signs(self, *, public: bool) -> bool:
        if self.signature_mode is SignatureMode.ALWAYS:
            return True
        return self.signature_mode is SignatureMode.PUBLIC_ONLY and public

    def to_dict(self) -> dict[str, Any]:
        return {
            "requires_signature": self.requires_signature,
            "signature_mode": self.signature_mode.value,
            "signature_format": self.signature_format,
            "duplicate_threshold": self.duplicate_threshold,
            "hotline": dict(self.hotline) if self.hotline else None,
            "max_attempts": self.max_attempts,
            "contacts": {kind: list(self.contacts.get(kind, ())) for kind in CONTACT_KINDS},
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> ReplyPolicy:
        """Parse stored or submitted settings; malformed values raise ``InvalidInput``."""
        data = data or {}
        base = cls()
        try:
            policy = cls(
                requires_signature=bool(data.get("requires_signature", base.requires_signature)),
                signature_mode=SignatureMode(data.get("signature_mode", base.signature_mode)),
                signature_format=str(data.get("signature_format", base.signature_format)),
                duplicate_threshold=float(
                    data.get("duplicate_threshold", base.duplicate_threshold)
                ),
                hotline=data.get("hotline") or None,
                max_attempts=int(data.get("max_attempts", base.max_attempts)),
                contacts=_contacts(data.get("contacts")),
            )
        except (TypeError, ValueError) as exc:
            raise InvalidInput("replies", f"malformed reply policy: {exc}") from exc
        if "{signature}" not in policy.signature_format:
            raise InvalidInput("signature_format", "must contain {signature}")
        if not 0.5 <= policy.duplicate_threshold <= 1.0:
            raise InvalidInput("duplicate_threshold", "must be between 0.5 and 1")
        if not 1 <= policy.max_attempts <= 20:
            raise InvalidInput("max_attempts", "must be between 1 and 20")
        if policy.hotline is not None:
            try:
                schedule = HotlineSchedule.from_dict(policy.hotline)
                _check_periods(schedule)
            except (KeyError, IndexError, TypeError, ValueError) as exc:
                raise InvalidInput("hotline", f"malformed schedule: {exc}") from exc
        return policy


def _contacts(data: Any) -> dict[str, tuple[str, ...]]:
    """The workspace's own contact details, each value checked for its kind's shape."""
    if not data:
        return {}
    if not isinstance(data, Mapping):
        raise InvalidInput("contacts", "must be an object of phones, emails and websites")
    shapes = {"phones": _PHONE, "emails": _EMAIL, "websites": _WEBSITE}
    contacts: dict[str, tuple[str, ...]] = {}
    for kind, given in data.items():
        if kind not in shapes:
            raise InvalidInput("contacts", f"unknown kind {kind!r} (phones, emails, websites)")
        values = re.split(r"[,;\n]", given) if isinstance(given, str) else given
        if not isinstance(values, Sequence):
            raise InvalidInput(f"contacts.{kind}", "must be a list")
        cleaned = [str(v).strip() for v in values if str(v).strip()]
        if len(cleaned) > MAX_CONTACTS:
            raise InvalidInput(f"contacts.{kind}", f"at most {MAX_CONTACTS}")
        for value in cleaned:
            digits = sum(c.isdigit() for c in value)
            if not shapes[kind].match(value) or (kind == "phones" and digits < 6):
                raise InvalidInput(f"contacts.{kind}", f"{value!r} is not a valid {kind[:-1]}")
        if cleaned:
            contacts[kind] = tuple(dict.fromkeys(cleaned))
    return contacts


def _check_periods(schedule: HotlineSchedule) -> None:
    for day in schedule.days:
        if not 0 <= int(day) <= 6:
            raise ValueError(f"weekday {day} is not 0 (Monday) to 6 (Sunday)")
        for opens, closes in schedule.periods(int(day)):
            if not opens < closes:
                raise ValueError(f"{opens:%H:%M}-{closes:%H:%M} closes before it opens")


def hotline_from_form(time_zone: str, hours: Sequence[str]) -> dict[str, Any] | None:
    """The hotline schedule from the settings form: one text per weekday (Monday first) such as
    "08:00-17:00" or "8-12, 13-17"; empty means closed. None when every day is empty."""
    days: dict[str, list[list[str]]] = {}
    for day, text in enumerate(hours):
        periods = [p for p in re.split(r"[,;]", text or "") if p.strip()]
        for period in periods:
            m = _PERIOD.match(period)
            if m is None:
                raise InvalidInput(f"hotline_{day}", f"{period.strip()!r} is not like 08:00-17:00")
            days.setdefault(str(day), []).append([_hhmm(m.group(1)), _hhmm(m.group(2))])
    if not days:
        return None
    return {"time_zone": (time_zone or "").strip() or "Europe/Warsaw", "days": days}


def _hhmm(value: str) -> str:
    hours, _, minutes = value.partition(":")
    return f"{int(hours):02d}:{minutes or '00'}"


def hotline_hours_text(hotline: Mapping[str, Any] | None) -> list[str]:
    """The form's seven fields (Monday first) for a stored schedule."""
    days = (hotline or {}).get("days", {})
    return [
        ", ".join(f"{a}-{b}" for a, b in days.get(str(day), days.get(day, ()))) for day in range(7)
    ]


def sign(text: str, signature: str, policy: ReplyPolicy, *, public: bool) -> str:
    """``text`` with the agent's signature appended when the policy asks for it, never twice."""
    body = text.rstrip()
    if not signature.strip() or not policy.signs(public=public):
        return body
    mark = policy.signature_format.format(signature=signature.strip())
    if body.casefold().endswith(mark.casefold()):
        return body
    return f"{body} {mark}" if body else mark
