"""API tokens and outgoing event webhooks: what a workspace hands to scripts, BI tools and
other systems, as plain values and the rules about them.

A token is a long random secret with a recognisable prefix (``md_``); only its SHA-256 is
stored, so a leaked database does not leak working tokens. Its scopes decide the role it acts
with: ``read`` a viewer, ``write`` an agent, ``admin`` an admin (never an owner).
A webhook subscription names a URL, the events it hears and a secret that signs each call.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.events import Event
from mentiondesk.domain.workspaces import Role

__all__ = [
    "TOKEN_PREFIX",
    "WEBHOOK_EVENTS",
    "ApiToken",
        "TokenScope",
    "WebhookSubscription",
    "WebhookTestRequested",
    "hash_token",
    "new_token_secret",
    "parse_events",
    "parse_name",
    "parse_scopes",
    "role_for_scopes",
    "valid_webhook_url",
]

TOKEN_PREFIX = "md_"
MAX_NAME = 80


class TokenScope(StrEnum):
    READ = "read"  # cases, posts, reports
    WRITE = "write"  # replies, assignments, labels (and everything read allows)
    ADMIN = "admin"  # settings (and everything write allows)


_ROLE = {TokenScope.READ: Role.VIEWER, TokenScope.WRITE: Role.AGENT, TokenScope.ADMIN: Role.ADMIN}
_RANK = {TokenScope.READ: 0, TokenScope.WRITE: 1, TokenScope.ADMIN: 2}

WEBHOOK_EVENTS: dict[str, str] = {
    "case.opened": "a new case was opened",
    "reply.sent": "a reply was delivered to the platform",
    "case.resolved": "a case was resolved",
    "sla.breached": "a case passed an SLA target",
    "alert.raised": "a crisis or SLA alert was raised",
}
"""The events a subscription may hear, with what each means."""


def new_token_secret() -> str:
    """``md_`` and 43 URL-safe characters (256 random bits)."""
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def parse_scopes(values: list[str] | tuple[str, ...]) -> tuple[TokenScope, ...]:
    names = [v.strip().lower() for v in values if v.strip()]
    if not names:
        raise InvalidInput("scopes", "choose at least one scope: read, write or admin")
    unknown = [n for n in names if n not in TokenScope._value2member_map_]
    if unknown:
        raise InvalidInput("scopes", f"unknown scope {unknown[0]!r}: use read, write or admin")
    return tuple(sorted({TokenScope(n) for n in names}, key=_RANK.__getitem__))


def role_for_scopes(scopes: tuple[TokenScope, ...]) -> Role:
    """The role a token acts with: that of its widest scope."""
    return _ROLE[max(scopes, key=_RANK.__getitem__)]


def parse_name(value: str) -> str:
    name = " ".join(value.split())
    if not name:
        raise InvalidInput("name", "give the token a name that says who uses it")
    if len(name) > MAX_NAME:
        raise InvalidInput("name", f"a name has at most {MAX_NAME} characters")
    return name


def parse_events(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    names = [v.strip().lower() for v in values if v.strip()]
    if not names:
        raise InvalidInput("events", "choose at least one event")
    unknown = [n for n in names if n not in WEBHOOK_EVENTS]
    if unknown:
        known = ", ".join(WEBHOOK_EVENTS)
        raise InvalidInput("events", f"unknown event {unknown[0]!r}: use {known}")
    return tuple(e for e in WEBHOOK_EVENTS if e in names)


def valid_webhook_url(value: str) -> str:
    """An absolute http(s) URL of at most 500 characters, without credentials in it."""
    url = value.strip()
    if not url:
        raise InvalidInput("url", "give the URL that receives the events")
    if len(url) > 500:
        raise InvalidInput("url", "a URL has at most 500 characters")
    if any(ord(c) < 33 for c in url):
        raise InvalidInput("url", "a URL cannot contain spaces or control characters")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InvalidInput("url", "expected an http:// or https:// URL")
    if parts.username or parts.password:
        raise InvalidInput("url", "put no user name or password in the URL; calls are signed")
    return url


@dataclass(frozen=True, slots=True)
class ApiToken:
    """A stored token (never its secret): ``prefix`` is enough of it to recognise it.
    ``user_id`` is the token's own account, which cannot sign in: replies, notes and
    assignments made with the token are recorded as its, under its name."""

    id: int
    workspace_id: int
    name: str
    prefix: str
    scopes: tuple[TokenScope, ...]
    user_id: int
    created_at: datetime
    created_by: int | None = None
    expires_at: datetime | None = None
    last_used_at: datetime | None = None
    revoked_at: datetime | None = None

    def state(self, now: datetime) -> str:
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at is not None and self.expires_at <= now:
            return "expired"
        return "active"

    @property
    def role(self) -> Role:
        return role_for_scopes(self.scopes)


@dataclass(frozen=True, slots=True)
class WebhookSubscription:
    """A URL that hears ``events`` of one workspace; calls are signed with its secret."""

    id: int
    workspace_id: int
    url: str
    events: tuple[str, ...]
    created_at: datetime
    paused: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True)
class WebhookTestRequested(Event):
    """A person asked for a test event to be sent to a subscription."""

    subscription_id: int
    workspace_id: int
    nonce: str
    at: datetime
