"""Workspaces, users, memberships, web sessions and inbound sources."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, delete, func, select, update

from mentiondesk.domain.workspaces import (
    SESSION_KEY_LENGTH,
    BrandIdentity,
    Membership,
    Role,
    User,
    WeeklyHours,
    Workspace,
)
from mentiondesk.storage import tables as t
from mentiondesk.storage import tables_assignment as ta
from mentiondesk.storage.repositories._insert import insert_returning_id

if TYPE_CHECKING:
    from mentiondesk.storage.secret_box import SecretBox


def _brand_to_json(brand: BrandIdentity) -> dict[str, Any]:
    return {
        "names": list(brand.names),
        "handles": {p: list(h) for p, h in brand.handles.items()},
        "keywords": list(brand.keywords),
        "exclude": list(brand.exclude),
    }


def _brand_from_json(data: dict[str, Any]) -> BrandIdentity:
    return BrandIdentity(
        names=tuple(data.get("names", ())),
        handles={p: tuple(h) for p, h in data.get("handles", {}).items()},
        keywords=tuple(data.get("keywords", ())),
        exclude=tuple(data.get("exclude", ())),
    )


def _workspace(row: Any) -> Workspace:
    return Workspace(
        id=row.id,
        slug=row.slug,
        name=row.name,
        brand=_brand_from_json(row.brand),
        time_zone=row.time_zone,
        languages=tuple(row.languages),
        hours=WeeklyHours.from_dict(row.hours),
        holiday_country=row.holiday_country,
    )


class WorkspaceRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, ws: Workspace, *, now: datetime, order_pattern: str | None = None) -> int:
        values = {
            "slug": ws.slug,
            "name": ws.name,
            "time_zone": ws.time_zone,
            "languages": list(ws.languages),
            "hours": ws.hours.to_dict(),
            "holiday_country": ws.holiday_country,
            "brand": _brand_to_json(ws.brand),
            "order_pattern": order_pattern,
            "settings": {},
            "created_at": now,
        }
        ws.id = insert_returning_id(self._conn, t.workspaces, values)
        return ws.id

    def update(self, ws: Workspace) -> None:
        self._conn.execute(
            update(t.workspaces)
            .where(t.workspaces.c.id == ws.id)
            .values(
                name=ws.name,
                time_zone=ws.time_zone,
                languages=list(ws.languages),
                hours=ws.hours.to_dict(),
                holiday_country=ws.holiday_country,
                brand=_brand_to_json(ws.brand),
            )
        )

    def get(self, workspace_id: int) -> Workspace | None:
        row = self._conn.execute(
            select(t.workspaces).where(t.workspaces.c.id == workspace_id)
        ).first()
        return _workspace(row) if row else None

    def get_by_slug(self, slug: str) -> Workspace | None:
        row = self._conn.execute(select(t.workspaces).where(t.workspaces.c.slug == slug)).first()
        return _workspace(row) if row else None

    def order_pattern(self, workspace_id: int) -> str | None:
        return self._conn.execute(
            select(t.workspaces.c.order_pattern).where(t.workspaces.c.id == workspace_id)
        ).scalar_one_or_none()

    def all(self) -> list[Workspace]:
        rows = self._conn.execute(select(t.workspaces).order_by(t.workspaces.c.slug))
        return [_workspace(r) for r in rows]

    def for_user(self, user_id: int) -> list[tuple[Workspace, Role]]:
        rows = self._conn.execute(
            select(t.workspaces, t.memberships.c.role)
            .join(t.memberships, t.memberships.c.workspace_id == t.workspaces.c.id)
            .where(t.memberships.c.user_id == user_id)
            .order_by(t.workspaces.c.name)
        )
        return [(_workspace(r), Role(r.role)) for r in rows]


def _user(row: Any) -> User:
    return User(
        id=row.id,
        email=row.email,
        name=row.name,
        password_hash=row.password_hash,
        signature=row.signature,
        is_active=row.is_active,
    )


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, email: str, name: str, password_hash: str, *, now: datetime) -> User:
        user_id = insert_returning_id(
            self._conn,
            t.users,
            dict(
                email=email,
                name=name,
                password_hash=password_hash,
                signature="",
                is_active=True,
                created_at=now,
            ),
        )
        return User(id=user_id, email=email, name=name, password_hash=password_hash)

    def get(self, user_id: int) -> User | None:
        row = self._conn.execute(select(t.users).where(t.users.c.id == user_id)).first()
        return _user(row) if row else None

    def get_by_email(self, email: str) -> User | None:
        row = self._conn.execute(select(t.users).where(t.users.c.email == email)).first()
        return _user(row) if row else None

    def set_password_hash(self, user_id: int, password_hash: str) -> None:
        self._conn.execute(
            update(t.users).where(t.users.c.id == user_id).values(password_hash=password_hash)
        )

    def set_active(self, user_id: int, active: bool) -> None:
        self._conn.execute(update(t.users).where(t.users.c.id == user_id).values(is_active=active))

    def remove_membership(self, user_id: int, workspace_id: int) -> None:
        self._conn.execute(
            delete(t.memberships)
            .where(t.memberships.c.user_id == user_id)
            .where(t.memberships.c.workspace_id == workspace_id)
        )

    def release_member(self, workspace_id: int, user_id: int) -> int:
        """Before a member leaves: their active cases here lose their assignee (and move one
        version on, so an open page notices) and their agent profile goes; resolved cases
        keep who solved them. Returns how many cases were unassigned."""
        c = t.cases.c
        released = self._conn.execute(
            update(t.cases)
            .where(c.workspace_id == workspace_id, c.assignee_id == user_id)
            .where(c.status.in_(["new", "open", "waiting"]))
            .values(assignee_id=None, version=c.version + 1)
        ).rowcount
        self._conn.execute(
            delete(ta.agent_profiles).where(
                ta.agent_profiles.c.workspace_id == workspace_id,
                ta.agent_profiles.c.user_id == user_id,
            )
        )
        return int(released)

    def workspace_ids(self, user_id: int) -> list[int]:
        return list(
            self._conn.execute(
                select(t.memberships.c.workspace_id).where(t.memberships.c.user_id == user_id)
            ).scalars()
        )

    def count_with_role(self, workspace_id: int, roles: tuple[Role, ...]) -> int:
        """Active members of the workspace holding one of ``roles``."""
        return int(
            self._conn.execute(
                select(func.count())
                .select_from(t.memberships.join(t.users, t.users.c.id == t.memberships.c.user_id))
                .where(t.memberships.c.workspace_id == workspace_id)
                .where(t.memberships.c.role.in_([r.value for r in roles]))
                .where(t.users.c.is_active.is_(True))
            ).scalar_one()
        )

    def set_signature(self, user_id: int, signature: str) -> None:
        self._conn.execute(
            update(t.users).where(t.users.c.id == user_id).values(signature=signature)
        )

    def set_role(self, user_id: int, workspace_id: int, role: Role) -> None:
        existing = self.role_in(user_id, workspace_id)
        if existing is None:
            self._conn.execute(
                t.memberships.insert().values(
                    user_id=user_id, workspace_id=workspace_id, role=role.value
                )
            )
        else:
            self._conn.execute(
                update(t.memberships)
                .where(t.memberships.c.user_id == user_id)
                .where(t.memberships.c.workspace_id == workspace_id)
                .values(role=role.value)
            )

    def role_in(self, user_id: int, workspace_id: int) -> Role | None:
        role = self._conn.execute(
            select(t.memberships.c.role)
            .where(t.memberships.c.user_id == user_id)
            .where(t.memberships.c.workspace_id == workspace_id)
        ).scalar_one_or_none()
        return Role(role) if role else None

    def members(self, workspace_id: int) -> list[tuple[User, Membership]]:
        rows = self._conn.execute(
            select(t.users, t.memberships.c.role)
            .join(t.memberships, t.memberships.c.user_id == t.users.c.id)
            .where(t.memberships.c.workspace_id == workspace_id)
            .order_by(t.users.c.name)
        )
        return [(_user(r), Membership(r.id, workspace_id, Role(r.role))) for r in rows]


@dataclass(frozen=True, slots=True)
class SessionRecord:
    """One signed-in browser as its owner sees it. ``key`` is a prefix of the token's hash:
    enough to name the session, useless to sign in with."""

    key: str
    user_id: int
    created_at: datetime
    expires_at: datetime
    last_seen_at: datetime | None
    user_agent: str
    ip_address: str


class SessionRepository:
    """Server-side web sessions: the cookie carries a random token, the table its hash."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self,
        token_hash: str,
        user_id: int,
        csrf_token: str,
        *,
        now: datetime,
        expires_at: datetime,
        user_agent: str = "",
        ip_address: str = "",
    ) -> None:
        self._conn.execute(
            t.web_sessions.insert().values(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=expires_at,
                user_agent=user_agent[:300],
                ip_address=ip_address[:64],
                last_seen_at=now,
            )
        )

    def touch(self, token_hash: str, now: datetime) -> None:
        self._conn.execute(
            update(t.web_sessions)
            .where(t.web_sessions.c.token_hash == token_hash)
            .values(last_seen_at=now)
        )

    def for_user(self, user_id: int, now: datetime) -> list[SessionRecord]:
        s = t.web_sessions.c
        rows = self._conn.execute(
            select(t.web_sessions)
            .where(s.user_id == user_id, s.expires_at > now)
            .order_by(s.last_seen_at.desc(), s.created_at.desc())
        )
        return [
            SessionRecord(
                key=r.token_hash[:SESSION_KEY_LENGTH],
                user_id=r.user_id,
                created_at=r.created_at,
                expires_at=r.expires_at,
                last_seen_at=r.last_seen_at,
                user_agent=r.user_agent or "",
                ip_address=r.ip_address or "",
            )
            for r in rows
        ]

    def delete_for_user(
        self, user_id: int, *, key: str | None = None, keep_token_hash: str | None = None
    ) -> int:
        """Sign ``user_id`` out: one session by its key, or all but ``keep_token_hash``."""
        s = t.web_sessions.c
        statement = delete(t.web_sessions).where(s.user_id == user_id)
        if key is not None:
            if len(key) != SESSION_KEY_LENGTH:
                return 0
            statement = statement.where(func.substr(s.token_hash, 1, SESSION_KEY_LENGTH) == key)
        if keep_token_hash is not None:
            statement = statement.where(s.token_hash != keep_token_hash)
        return int(self._conn.execute(statement).rowcount)

    def get(self, token_hash: str) -> Any | None:
        return self._conn.execute(
            select(t.web_sessions).where(t.web_sessions.c.token_hash == token_hash)
        ).first()

    def delete(self, token_hash: str) -> None:
        self._conn.execute(delete(t.web_sessions).where(t.web_sessions.c.token_hash == token_hash))

    def delete_expired(self, now: datetime) -> int:
        return self._conn.execute(
            delete(t.web_sessions).where(t.web_sessions.c.expires_at <= now)
        ).rowcount


@dataclass(frozen=True, slots=True)
class InboundSource:
    id: int
    workspace_id: int
    name: str
    secret: str  # the plain secret, opened from its sealed form
    created_at: datetime


class SourceRepository:
    """Named inbound webhook sources; each belongs to one workspace and has its own secret,
    stored sealed by the ``SecretBox`` and handed out in plain text."""

    def __init__(self, conn: Connection, secret_box: SecretBox | None = None) -> None:
        self._conn = conn
        self._box = secret_box

    def _require_box(self) -> SecretBox:
        if self._box is None:
            raise RuntimeError("source secrets need a unit of work built with a SecretBox")
        return self._box

    def add(self, workspace_id: int, name: str, secret: str, *, now: datetime) -> None:
        sealed = self._require_box().seal(secret)
        insert_returning_id(
            self._conn,
            t.inbound_sources,
            dict(workspace_id=workspace_id, name=name, secret=sealed, created_at=now),
        )

    def get(self, name: str) -> InboundSource | None:
        row = self._conn.execute(
            select(t.inbound_sources).where(t.inbound_sources.c.name == name)
        ).first()
        if row is None:
            return None
        return InboundSource(
            row.id, row.workspace_id, row.name, self._require_box().open(row.secret), row.created_at
        )

    def seal_plain_secrets(self) -> int:
        """Seal every secret still stored in plain text; returns how many."""
        box = self._require_box()
        rows = self._conn.execute(select(t.inbound_sources.c.id, t.inbound_sources.c.secret))
        plain = [(r.id, r.secret) for r in rows if not box.is_sealed(r.secret)]
        for source_id, secret in plain:
            self._set(source_id, box.seal(secret))
        return len(plain)

    def reseal_all(self, new_box: SecretBox) -> int:
        """Open every secret with this box and seal it with ``new_box`` (key rotation)."""
        box = self._require_box()
        rows = self._conn.execute(select(t.inbound_sources.c.id, t.inbound_sources.c.secret))
        count = 0
        for r in list(rows):
            self._set(r.id, new_box.seal(box.open(r.secret)))
            count += 1
        return count

    def _set(self, source_id: int, sealed: str) -> None:
        self._conn.execute(
            update(t.inbound_sources)
            .where(t.inbound_sources.c.id == source_id)
            .values(secret=sealed)
        )
