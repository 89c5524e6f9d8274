"""Workspaces, users, memberships, web sessions and inbound sources."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, select, update

from mentiondesk.domain.workspaces import (
    BrandIdentity,
    Membership,
    Role,
    User,
    WeeklyHours,
    Workspace,
)
from mentiondesk.storage import tables as t
from mentiondesk.storage.repositories._insert import insert_returning_id


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


class SessionRepository:
    """Server-side web sessions: the cookie carries a random token, the table its hash."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(
        self, token_hash: str, user_id: int, csrf_token: str, *, now: datetime, expires_at: datetime
    ) -> None:
        self._conn.execute(
            t.web_sessions.insert().values(
                token_hash=token_hash,
                user_id=user_id,
                csrf_token=csrf_token,
                created_at=now,
                expires_at=expires_at,
            )
        )

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


class SourceRepository:
    """Named inbound webhook sources; each belongs to one workspace and has its own secret."""

    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    def add(self, workspace_id: int, name: str, secret: str, *, now: datetime) -> None:
        insert_returning_id(
            self._conn,
            t.inbound_sources,
            dict(workspace_id=workspace_id, name=name, secret=secret, created_at=now),
        )

    def get(self, name: str) -> Any | None:
        return self._conn.execute(
            select(t.inbound_sources).where(t.inbound_sources.c.name == name)
        ).first()
