"""Users, passwords (argon2) and server-side web sessions."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mentiondesk.desk.passwords import check_password
from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.workspaces import Role, User
from mentiondesk.storage.unit_of_work import UnitOfWork

_hasher = PasswordHasher()
SESSION_LIFETIME = timedelta(hours=12)
LAST_SEEN_RESOLUTION = timedelta(minutes=1)  # "last seen" is written at most once a minute


def hash_password(password: str, *, email: str = "", workspace_names: Iterable[str] = ()) -> str:
    """The argon2 hash of a password the policy accepts (``InvalidInput`` otherwise)."""
    check_password(password, email=email, workspace_names=workspace_names)
    return _hasher.hash(password)


def workspace_names_of(uow: UnitOfWork, user_id: int) -> list[str]:
    """Names and slugs of the user's workspaces: words their password must not contain."""
    names: list[str] = []
    for workspace, _role in uow.workspaces.for_user(user_id):
        names += [workspace.name, workspace.slug]
    return names


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return _hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if "@" not in email or email.startswith("@") or email.endswith("@"):
        raise InvalidInput("email", "is not an e-mail address")
    return email


def do_create_user(
    uow: UnitOfWork,
    email: str,
    name: str,
    password: str,
    *,
    now: datetime,
    workspace_names: Iterable[str] = (),
) -> User:
    """Create a user; the password must pass the policy, also against the names of the
    workspaces the user is about to join."""
    email = normalise_email(email)
    if uow.users.get_by_email(email):
        raise InvalidInput("email", f"a user with e-mail {email} already exists")
    password_hash = hash_password(password, email=email, workspace_names=workspace_names)
    user = uow.users.add(email, name.strip() or email, password_hash, now=now)
    uow.commit()
    return user


def do_set_role(uow: UnitOfWork, email: str, workspace_slug: str, role: Role) -> None:
    user = uow.users.get_by_email(normalise_email(email))
    if user is None:
        raise NotFound(f"no user {email}")
    ws = uow.workspaces.get_by_slug(workspace_slug)
    if ws is None:
        raise NotFound(f"no workspace {workspace_slug}")
    uow.users.set_role(user.id, ws.id, role)
    uow.commit()


def authenticate(uow: UnitOfWork, email: str, password: str) -> User | None:
    """The user when the password is right; None otherwise (same answer for unknown e-mails)."""
    try:
        email = normalise_email(email)
    except InvalidInput:
        return None
    user = uow.users.get_by_email(email)
    if user is None or not user.is_active:
        _hasher.hash(password or "x")  # spend the same time as a real check
        return None
    if not verify_password(user.password_hash, password):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        uow.users.set_password_hash(user.id, _hasher.hash(password))
        uow.commit()
    return user


@dataclass(frozen=True, slots=True)
class WebSession:
    user: User
    csrf_token: str
    expires_at: datetime
    token_hash: str = ""  # names this session among the user's others (never the token)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_open_session(
    uow: UnitOfWork,
    user: User,
    *,
    now: datetime,
    user_agent: str = "",
    ip_address: str = "",
) -> tuple[str, WebSession]:
    """A new random session token (for the cookie) and the session it opens; the browser and
    address are kept so that the user can recognise the session in their list."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    hashed = token_hash(token)
    uow.sessions.add(
        hashed,
        user.id,
        csrf,
        now=now,
        expires_at=expires,
        user_agent=user_agent,
        ip_address=ip_address,
    )
    uow.commit()
    return token, WebSession(user, csrf, expires, hashed)


def load_session(uow: UnitOfWork, token: str, *, now: datetime) -> WebSession | None:
    hashed = token_hash(token)
    row = uow.sessions.get(hashed)
    if row is None or row.expires_at <= now:
        return None
    user = uow.users.get(row.user_id)
    if user is None or not user.is_active:
        return None
    if row.last_seen_at is None or now - row.last_seen_at >= LAST_SEEN_RESOLUTION:
        uow.sessions.touch(hashed, now)
        uow.commit()
    return WebSession(user, row.csrf_token, row.expires_at, hashed)


def do_close_session(uow: UnitOfWork, token: str) -> None:
    uow.sessions.delete(token_hash(token))
    uow.commit()
