"""Accounts and sessions on SQLite and PostgreSQL: throttled sign-in that every worker sees,
password change and admin reset under the policy, deactivation, leaving a workspace, the
session list — and webhook secrets sealed at rest. Every action is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from mentiondesk.bootstrap import Services
from mentiondesk.desk.access import actor_for
from mentiondesk.desk.account_admin import (
    do_change_password,
    do_remove_membership,
    do_reset_password,
    do_revoke_other_sessions,
    do_revoke_session,
    do_set_active,
    my_sessions,
)
from mentiondesk.desk.accounts import authenticate, do_open_session, load_session
from mentiondesk.desk.sign_in import SignInResult, do_sign_in
from mentiondesk.desk.workspaces import do_create_source
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from mentiondesk.storage import tables as t
from tests.conftest import ServicesFactory
from tests.factories import DEFAULT_PASSWORD, Desk, build_desk, create_member

ADDRESS = "203.0.113.7"


def _sign_in(services: Services, email: str, password: str, address: str = ADDRESS) -> SignInResult:
    with services.uow() as uow:
        return do_sign_in(uow, email, password, address=address, now=services.clock.now())


def _actions(services: Services, workspace_id: int) -> list[str]:
    with services.uow() as uow:
        return [e.action for e in uow.audit.list(workspace_id)]


def test_failures_counted_by_one_worker_throttle_the_next_worker(
    make_services: ServicesFactory, clock: FixedClock
) -> None:
    worker_a, worker_b = make_services(), make_services()
    desk = build_desk(worker_a)
    email = desk.agent.email
    for _ in range(5):
        assert _sign_in(worker_a, email, "wrong password!!").user is None
    refused = _sign_in(worker_b, email, DEFAULT_PASSWORD)  # even the right password waits
    assert refused.user is None and refused.refused and not refused.locked
    assert refused.retry_at == clock.now() + timedelta(seconds=1)
    clock.set(clock.now() + timedelta(seconds=1))
    assert _sign_in(worker_b, email, DEFAULT_PASSWORD).user is not None


def test_ten_failures_lock_the_account_for_fifteen_minutes_and_audit_it(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    start = clock.now()
    result = SignInResult(None)
    for _ in range(10):
        if result.retry_at is not None:
            clock.set(result.retry_at)
        result = _sign_in(services, desk.agent.email, "wrong password!!")
    assert result.locked and result.retry_at == clock.now() + timedelta(minutes=15)
    assert clock.now() - start < timedelta(minutes=1)  # 1+2+4+8+16 s of waiting
    clock.set(clock.now() + timedelta(minutes=14))
    still = _sign_in(services, desk.agent.email, DEFAULT_PASSWORD)
    assert still.user is None and still.locked
    clock.set(clock.now() + timedelta(minutes=1))
    assert _sign_in(services, desk.agent.email, DEFAULT_PASSWORD).user is not None
    with services.uow() as uow:
        entries = [e for e in uow.audit.list(desk.workspace.id) if e.action == "account.locked"]
    assert len(entries) == 1 and entries[0].subject == f"user:{desk.agent.id}"
    assert entries[0].data["address"] == ADDRESS


def test_one_address_guessing_many_accounts_is_throttled_too(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    for n in range(20):
        assert not _sign_in(services, f"nobody{n}@acme.test", "guess-guess-guess").refused
    refused = _sign_in(services, desk.owner.email, DEFAULT_PASSWORD)
    assert refused.refused  # the address, not the account, is throttled
    assert _sign_in(services, desk.owner.email, DEFAULT_PASSWORD, "198.51.100.1").user


def test_changing_the_password_needs_the_current_one_and_the_policy(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    user = desk.agent
    with services.uow() as uow:
        _, mine = do_open_session(uow, user, now=clock.now(), user_agent="Firefox")
        do_open_session(uow, user, now=clock.now(), user_agent="Phone")
    with services.uow() as uow, pytest.raises(InvalidInput) as wrong:
        do_change_password(uow, user, "not it at all", "a-brand-new-passphrase", now=clock.now())
    assert wrong.value.field == "current_password"
    for weak, why in [("password1234", "common"), ("acme-acme-acme-acme", "workspace")]:
        with services.uow() as uow, pytest.raises(InvalidInput) as refused:
            do_change_password(uow, user, DEFAULT_PASSWORD, weak, now=clock.now())
        assert why in refused.value.reason
    with services.uow() as uow:
        signed_out = do_change_password(
            uow,
            user,
            DEFAULT_PASSWORD,
            "a-brand-new-passphrase",
            now=clock.now(),
            keep_token_hash=mine.token_hash,
        )
        assert signed_out == 1
        assert [s.user_agent for s in my_sessions(uow, user, now=clock.now())] == ["Firefox"]
        assert authenticate(uow, user.email, DEFAULT_PASSWORD) is None
        assert authenticate(uow, user.email, "a-brand-new-passphrase") is not None
    assert "account.password_change" in _actions(services, desk.workspace.id)


def test_an_admin_resets_a_member_only_where_they_manage_every_workspace_of_theirs(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    other = build_desk(services, "globex", "Globex")
    shared = create_member(services, desk.workspace, "shared@acme.test", Role.AGENT)
    with services.uow() as uow:
        uow.users.set_role(shared.id, other.workspace.id, Role.AGENT)
        uow.commit()
        actor = actor_for(uow, desk.owner, "acme")
        with pytest.raises(PermissionDenied, match="remove them"):
            do_reset_password(uow, actor, shared.id, now=clock.now())
        temporary = do_reset_password(uow, actor, desk.agent.id, now=clock.now())
        assert len(temporary) >= 20
        assert authenticate(uow, desk.agent.email, temporary) is not None
        with pytest.raises(PermissionDenied):  # an agent cannot reset anyone
            do_reset_password(
                uow, actor_for(uow, desk.agent, "acme"), desk.viewer.id, now=clock.now()
            )
    entries = _actions(services, desk.workspace.id)
    assert entries.count("account.password_reset") == 1


def test_a_deactivated_user_cannot_sign_in_and_every_session_ends(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    with services.uow() as uow:
        token, _ = do_open_session(uow, desk.agent, now=clock.now())
        with pytest.raises(PermissionDenied):  # admins never act on owners
            admin = create_member(services, desk.workspace, "admin@acme.test", Role.ADMIN)
            do_set_active(
                uow, actor_for(uow, admin, "acme"), desk.owner.id, active=False, now=clock.now()
            )
        do_set_active(
            uow, actor_for(uow, desk.owner, "acme"), desk.agent.id, active=False, now=clock.now()
        )
        assert load_session(uow, token, now=clock.now()) is None
        assert my_sessions(uow, desk.agent, now=clock.now()) == []
    assert _sign_in(services, desk.agent.email, DEFAULT_PASSWORD).user is None
    assert "account.deactivate" in _actions(services, desk.workspace.id)


def test_taking_a_member_out_unassigns_their_open_cases_and_keeps_the_last_owner(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    case_id = desk.ingest_case()
    desk.assign(desk.owner, case_id, desk.agent)
    version = desk.case(case_id).version
    with services.uow() as uow:
        owner = actor_for(uow, desk.owner, "acme")
        with pytest.raises(InvalidInput, match="last owner"):
            do_remove_membership(uow, owner, desk.owner.id, now=clock.now())
        assert do_remove_membership(uow, owner, desk.agent.id, now=clock.now()) == 1
        assert uow.users.role_in(desk.agent.id, desk.workspace.id) is None
        assert uow.users.get(desk.agent.id) is not None  # the account stays
    case = desk.case(case_id)
    assert case.assignee_id is None and case.version == version + 1
    assert "member.remove" in _actions(services, desk.workspace.id)


def test_a_user_lists_and_revokes_their_own_sessions_only(
    services: Services, clock: FixedClock
) -> None:
    desk = build_desk(services)
    with services.uow() as uow:
        _, here = do_open_session(
            uow, desk.agent, now=clock.now(), user_agent="Laptop", ip_address="192.0.2.1"
        )
        phone_token, _ = do_open_session(uow, desk.agent, now=clock.now(), user_agent="Phone")
        do_open_session(uow, desk.agent, now=clock.now(), user_agent="Tablet")
        colleague_token, _ = do_open_session(uow, desk.colleague, now=clock.now())
        listed = my_sessions(uow, desk.agent, now=clock.now())
        assert sorted(s.user_agent for s in listed) == ["Laptop", "Phone", "Tablet"]
        assert {s.ip_address for s in listed} >= {"192.0.2.1"}
        phone = next(s for s in listed if s.user_agent == "Phone")
        do_revoke_session(uow, desk.agent, phone.key, now=clock.now())
        assert load_session(uow, phone_token, now=clock.now()) is None
        assert do_revoke_other_sessions(uow, desk.agent, here.token_hash, now=clock.now()) == 1
        assert [s.user_agent for s in my_sessions(uow, desk.agent, now=clock.now())] == ["Laptop"]
        colleague_key = my_sessions(uow, desk.colleague, now=clock.now())[0].key
        with pytest.raises(Exception, match="no such session"):
            do_revoke_session(uow, desk.agent, colleague_key, now=clock.now())
        assert load_session(uow, colleague_token, now=clock.now()) is not None
    actions = _actions(services, desk.workspace.id)
    assert {"account.session_revoke", "account.sessions_revoke_others"} <= set(actions)


def test_webhook_secrets_are_sealed_at_rest_and_read_back_in_plain(
    desk: Desk, services: Services
) -> None:
    with services.uow() as uow:
        secret = do_create_source(uow, desk.workspace, "acme-hook", now=services.clock.now())
        stored = uow.connection.execute(select(t.inbound_sources.c.secret)).scalar_one()
        assert stored.startswith("fernet:") and secret not in stored
        source = uow.sources.get("acme-hook")
        assert source is not None and source.secret == secret


def test_a_plain_secret_left_from_before_is_sealed_on_the_next_start(
    make_services: ServicesFactory,
) -> None:
    services = make_services()
    desk = build_desk(services)
    with services.uow() as uow:
        uow.connection.execute(
            t.inbound_sources.insert().values(
                workspace_id=desk.workspace.id,
                name="legacy",
                secret="plain-old-secret",
                created_at=services.clock.now(),
            )
        )
        uow.commit()
    restarted = make_services()
    with restarted.uow() as uow:
        stored = uow.connection.execute(
            select(t.inbound_sources.c.secret).where(t.inbound_sources.c.name == "legacy")
        ).scalar_one()
        source = uow.sources.get("legacy")
    assert stored.startswith("fernet:") and source is not None
    assert source.secret == "plain-old-secret"


def test_the_migration_seals_the_plain_secrets_of_an_older_database(
    empty_database_url: str,
) -> None:
    from mentiondesk.storage.engine import make_engine
    from mentiondesk.storage.migrate import upgrade
    from mentiondesk.storage.secret_box import SecretBox
    from tests.conftest import START

    engine = make_engine(empty_database_url)
    try:
        upgrade(engine, "0008")
        with engine.begin() as conn:
            conn.exec_driver_sql(
                "INSERT INTO workspaces (slug, name, time_zone, languages, hours, brand, "
                "settings, created_at) VALUES ('acme', 'Acme', 'UTC', '[]', '{}', '{}', '{}', "
                f"'{START:%Y-%m-%d %H:%M:%S}')"
            )
            conn.exec_driver_sql(
                "INSERT INTO inbound_sources (workspace_id, name, secret, created_at) "
                f"VALUES (1, 'old-hook', 'plain-old-secret', '{START:%Y-%m-%d %H:%M:%S}')"
            )
        box = SecretBox(["migration-test-key-01"])
        upgrade(engine, secret_box=box)
        with engine.connect() as conn:
            stored = conn.execute(select(t.inbound_sources.c.secret)).scalar_one()
    finally:
        engine.dispose()
    assert stored.startswith("fernet:") and box.open(stored) == "plain-old-secret"
