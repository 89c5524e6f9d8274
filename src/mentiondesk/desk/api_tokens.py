"""API tokens: created by a workspace's owners and admins for scripts and BI tools, shown
once, stored as a hash, listed with when they were last used, revoked at will.

A request that carries ``Authorization: Bearer md_…`` acts as the token (``token_actor``):
in the token's workspace only, with the role its scopes allow, audited under its name.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from mentiondesk.desk.access import Actor
from mentiondesk.domain.audit import AuditEntry
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from mentiondesk.domain.integrations import (
    TOKEN_PREFIX,
    ApiToken,
    hash_token,
    new_token_secret,
    parse_name,
    parse_scopes,
)
from mentiondesk.domain.workspaces import User
from mentiondesk.storage.unit_of_work import UnitOfWork

__all__ = [
    "CreatedToken",
    "TokenRefused",
    "do_create_token",
    "do_revoke_token",
    "token_actor",
    "tokens_for",
]

PREFIX_SHOWN = 10  # "md_" and 7 characters: enough to tell tokens apart in a list
TOUCH_EVERY = timedelta(minutes=1)  # last-used time is written at most this often
MAX_DAYS = 3650
ACCOUNT_DOMAIN = "api-tokens.invalid"  # a token's account address: never a mailbox


class TokenRefused(Exception):
    """The bearer token is unknown, revoked or expired (401); the message says which."""


@dataclass(frozen=True, slots=True)
class CreatedToken:
    token: ApiToken
    secret: str  # shown to its creator once, never stored


def _require_person(actor: Actor) -> None:
    if actor.audit_rule is not None:
        raise PermissionDenied("API tokens are managed by people signed in, not by tokens")
    actor.require_settings()


def do_create_token(
    uow: UnitOfWork,
    actor: Actor,
    name: str,
    scopes: list[str] | tuple[str, ...],
    *,
    now: datetime,
    expires_in_days: int | None = None,
) -> CreatedToken:
    """A new token; its secret is in the answer and nowhere else."""
    _require_person(actor)
    clean = parse_name(name)
    chosen = parse_scopes(scopes)
    expires_at = None
    if expires_in_days is not None:
        if not 1 <= expires_in_days <= MAX_DAYS:
            raise InvalidInput("expires_in_days", f"between 1 and {MAX_DAYS} days, or none")
        expires_at = now + timedelta(days=expires_in_days)
    secret = new_token_secret()
    account = uow.users.add(
        f"token-{secrets.token_hex(8)}@{ACCOUNT_DOMAIN}", token_rule_name(clean), "!", now=now
    )
    uow.users.set_active(account.id, False)  # "!" matches no password: it never signs in
    token = ApiToken(
        id=0,
        workspace_id=actor.workspace.id,
        name=clean,
        prefix=secret[:PREFIX_SHOWN],
        scopes=chosen,
        user_id=account.id,
        created_at=now,
        created_by=actor.user.id or None,
        expires_at=expires_at,
    )
    token_id = uow.api_tokens.add(token, hash_token(secret))
    uow.audit.append(
        AuditEntry.by(
            actor,
            "token.create",
            f"token:{token_id}",
            at=now,
            data={
                "name": clean,
                "scopes": [s.value for s in chosen],
                "expires_at": expires_at.isoformat() if expires_at else None,
            },
        )
    )
    uow.commit()
    stored = uow.api_tokens.get(actor.workspace.id, token_id)
    assert stored is not None
    return CreatedToken(stored, secret)


def tokens_for(uow: UnitOfWork, actor: Actor) -> list[ApiToken]:
    _require_person(actor)
    return uow.api_tokens.in_workspace(actor.workspace.id)


def _find(uow: UnitOfWork, actor: Actor, ref: str) -> ApiToken:
    """A token by id or by its shown prefix (what the list and the CLI show)."""
    tokens = uow.api_tokens.in_workspace(actor.workspace.id)
    text = ref.strip()
    found = [t for t in tokens if str(t.id) == text or (len(text) >= 6 and t.prefix == text)]
    if not found:
        raise NotFound(f"no API token {ref!r}")
    return found[0]


def do_revoke_token(uow: UnitOfWork, actor: Actor, ref: str, *, now: datetime) -> ApiToken:
    """Revoke a token (by id or shown prefix); it stops working at once."""
    _require_person(actor)
    token = _find(uow, actor, ref)
    if not uow.api_tokens.revoke(token.id, now):
        raise InvalidInput("token", f"token {token.name!r} is revoked already")
    uow.audit.append(
        AuditEntry.by(actor, "token.revoke", f"token:{token.id}", at=now, data={"name": token.name})
    )
    uow.commit()
    revoked = uow.api_tokens.get(actor.workspace.id, token.id)
    assert revoked is not None
    return revoked


def token_rule_name(name: str) -> str:
    """How the audit (and the token's account) names what a token did."""
    return f"API token {name}"


def token_rule(token: ApiToken) -> str:
    return token_rule_name(token.name)


def token_actor(
    uow: UnitOfWork, secret: str, workspace_slug: str, *, now: datetime
) -> tuple[Actor, ApiToken]:
    """The actor a bearer token stands for in ``workspace_slug``.

    Raises ``TokenRefused`` for an unknown, revoked or expired token and ``NotFound`` for
    another workspace (as for a person who is not a member: its existence does not leak)."""
    if not secret.startswith(TOKEN_PREFIX):
        raise TokenRefused("not a mentiondesk API token (they start with md_)")
    token = uow.api_tokens.by_hash(hash_token(secret))
    if token is None:
        raise TokenRefused("unknown API token")
    state = token.state(now)
    if state != "active":
        raise TokenRefused(f"this API token is {state}")
    workspace = uow.workspaces.get(token.workspace_id)
    if workspace is None or workspace.slug != workspace_slug:
        raise NotFound(f"no workspace '{workspace_slug}'")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        uow.api_tokens.touch(token.id, now)
        uow.commit()
    user = User(token.user_id, "", token_rule(token), "!", is_active=False)
    return Actor(user, workspace, token.role, audit_rule=token_rule(token)), token


def audit_token_request(
    uow: UnitOfWork, actor: Actor, token: ApiToken, method: str, path: str, *, now: datetime
) -> None:
    """A change asked for with a token is recorded under its name, whatever it changes."""
    uow.audit.append(
        AuditEntry.by(
            actor,
            "token.request",
            f"token:{token.id}",
            at=now,
            reason=f"{method} {path}"[:300],
        )
    )
    uow.commit()
