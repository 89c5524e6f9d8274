"""Users, passwords (argon2) and server-side web sessions."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from mentiondesk.domain.errors import InvalidInput, NotFound
from mentiondesk.domain.workspaces import Role, User
from mentiondesk.storage.unit_of_work import UnitOfWork

_hasher = PasswordHasher()
MIN_PASSWORD_LENGTH = 8
SESSION_LIFETIME = timedelta(hours=12)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput("password", f"must be at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher.hash(password)


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


def do_create_user(uow: UnitOfWork, email: str, name: str, password: str, *, now: datetime) -> User:
    email = normalise_email(email)
    if uow.users.get_by_email(email):
        raise InvalidInput("email", f"a user with e-mail {email} already exists")
    user = uow.users.add(email, name.strip() or email, hash_password(password), now=now)
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


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def do_open_session(uow: UnitOfWork, user: User, *, now: datetime) -> tuple[str, WebSession]:
    """A new random session token (for the cookie) and the session it opens."""
    token = secrets.token_urlsafe(32)
    csrf = secrets.token_urlsafe(32)
    expires = now + SESSION_LIFETIME
    uow.sessions.add(_token_hash(token), user.id, csrf, now=now, expires_at=expires)
    uow.commit()
    return token, WebSession(user, csrf, expires)


def load_session(uow: UnitOfWork, token: str, *, now: datetime) -> WebSession | None:
    row = uow.sessions.get(_token_hash(token))
    if row is None or row.expires_at <= now:
        return None
    user = uow.users.get(row.user_id)
    if user is None or not user.is_active:
        return None
    return WebSession(user, row.csrf_token, row.expires_at)


def do_close_session(uow: UnitOfWork, token: str) -> None:
    uow.sessions.delete(_token_hash(token))
    uow.commit()
