"""Accounts: argon2 passwords, log-in, and server-side sessions that expire and can be closed."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update

from mentiondesk.bootstrap import Services
from mentiondesk.desk.accounts import (
    SESSION_LIFETIME,
    authenticate,
    do_close_session,
    do_create_user,
    do_open_session,
    load_session,
)
from mentiondesk.domain.errors import InvalidInput
from mentiondesk.domain.workspaces import User
from mentiondesk.storage import tables as t
from tests.conftest import START
from tests.factories import DEFAULT_PASSWORD, create_user


@pytest.fixture
def anna(services: Services) -> User:
    return create_user(services, "anna@acme.test", "Anna Kowalska")


def log_in(services: Services, email: str, password: str) -> User | None:
    with services.uow() as uow:
        return authenticate(uow, email, password)


def open_session(services: Services, user: User) -> str:
    with services.uow() as uow:
        token, _ = do_open_session(uow, user, now=services.clock.now())
        return token


def session_user(services: Services, token: str) -> User | None:
    with services.uow() as uow:
        session = load_session(uow, token, now=services.clock.now())
        return session.user if session else None


class TestPasswords:
    def test_a_password_is_stored_as_an_argon2_hash_and_never_in_plain(
        self, services: Services
    ) -> None:
        with services.uow() as uow:
            do_create_user(uow, "Marta@Acme.test ", "Marta", "a long secret phrase", now=START)

        with services.uow() as uow:
            stored = uow.connection.execute(select(t.users.c.email, t.users.c.password_hash)).one()
        assert stored.email == "marta@acme.test"
        assert stored.password_hash.startswith("$argon2id$")
        assert "a long secret phrase" not in stored.password_hash

    def test_a_password_shorter_than_eight_characters_is_refused(self, services: Services) -> None:
        with services.uow() as uow, pytest.raises(InvalidInput) as refused:
            do_create_user(uow, "marta@acme.test", "Marta", "short", now=START)

        assert refused.value.field == "password"

    def test_an_email_address_can_be_registered_only_once(
        self, services: Services, anna: User
    ) -> None:
        with services.uow() as uow, pytest.raises(InvalidInput) as refused:
            do_create_user(uow, "ANNA@acme.test", "Anna again", DEFAULT_PASSWORD, now=START)

        assert refused.value.field == "email"

    @pytest.mark.parametrize("email", ["anna", "@acme.test", "anna@"])
    def test_something_that_is_not_an_email_address_is_refused(
        self, services: Services, email: str
    ) -> None:
        with services.uow() as uow, pytest.raises(InvalidInput) as refused:
            do_create_user(uow, email, "Anna", DEFAULT_PASSWORD, now=START)

        assert refused.value.field == "email"


class TestLogIn:
    def test_the_right_password_logs_the_user_in(self, services: Services, anna: User) -> None:
        user = log_in(services, "anna@acme.test", DEFAULT_PASSWORD)

        assert user is not None and user.id == anna.id

    def test_the_email_address_is_matched_regardless_of_case_and_spaces(
        self, services: Services, anna: User
    ) -> None:
        assert log_in(services, "  Anna@ACME.test ", DEFAULT_PASSWORD) is not None

    @pytest.mark.parametrize(
        ("email", "password"),
        [
            ("anna@acme.test", "wrong horse battery staple"),
            ("anna@acme.test", ""),
            ("nobody@acme.test", DEFAULT_PASSWORD),
            ("not-an-email", DEFAULT_PASSWORD),
        ],
        ids=["wrong password", "empty password", "unknown user", "malformed email"],
    )
    def test_anything_else_is_refused(
        self, services: Services, anna: User, email: str, password: str
    ) -> None:
        assert log_in(services, email, password) is None

    def test_a_deactivated_user_cannot_log_in_or_use_an_open_session(
        self, services: Services, anna: User
    ) -> None:
        token = open_session(services, anna)
        with services.uow() as uow:
            uow.connection.execute(
                update(t.users).where(t.users.c.id == anna.id).values(is_active=False)
            )
            uow.commit()

        assert log_in(services, "anna@acme.test", DEFAULT_PASSWORD) is None
        assert session_user(services, token) is None


class TestSessions:
    def test_an_open_session_identifies_its_user(self, services: Services, anna: User) -> None:
        token = open_session(services, anna)

        user = session_user(services, token)

        assert user is not None and user.email == "anna@acme.test"

    def test_a_session_carries_a_csrf_token_and_its_expiry(
        self, services: Services, anna: User
    ) -> None:
        with services.uow() as uow:
            token, opened = do_open_session(uow, anna, now=START)
            loaded = load_session(uow, token, now=START)

        assert loaded is not None
        assert loaded.csrf_token == opened.csrf_token != token
        assert loaded.expires_at == START + SESSION_LIFETIME

    def test_the_cookie_token_itself_is_not_stored(self, services: Services, anna: User) -> None:
        token = open_session(services, anna)

        with services.uow() as uow:
            stored = uow.connection.execute(select(t.web_sessions.c.token_hash)).scalars().all()
        assert len(stored) == 1
        assert token not in stored

    def test_a_session_lasts_until_its_lifetime_is_over(
        self, services: Services, anna: User
    ) -> None:
        token = open_session(services, anna)
        clock = services.clock

        clock.set(START + SESSION_LIFETIME - timedelta(seconds=1))  # type: ignore[attr-defined]
        assert session_user(services, token) is not None
        clock.set(START + SESSION_LIFETIME)  # type: ignore[attr-defined]
        assert session_user(services, token) is None

    def test_closing_a_session_logs_out_only_that_session(
        self, services: Services, anna: User
    ) -> None:
        laptop = open_session(services, anna)
        phone = open_session(services, anna)

        with services.uow() as uow:
            do_close_session(uow, laptop)

        assert session_user(services, laptop) is None
        assert session_user(services, phone) is not None

    def test_an_unknown_token_opens_nothing(self, services: Services, anna: User) -> None:
        open_session(services, anna)

        assert session_user(services, "forged-token") is None

    def test_expired_sessions_can_be_swept_away(self, services: Services, anna: User) -> None:
        old = open_session(services, anna)
        services.clock.set(START + timedelta(hours=6))  # type: ignore[attr-defined]
        recent = open_session(services, anna)

        with services.uow() as uow:
            removed = uow.sessions.delete_expired(START + SESSION_LIFETIME)
            uow.commit()

        assert removed == 1
        services.clock.set(START + timedelta(hours=7))  # type: ignore[attr-defined]
        assert session_user(services, old) is None
        assert session_user(services, recent) is not None
