"""API tokens on both databases: what a token acts as, what it may do, and that what it
writes (a reply, an assignment) is stored and audited as the token's."""

from __future__ import annotations

from datetime import timedelta

import pytest

from mentiondesk.desk.api_tokens import (
    TokenRefused,
    do_create_token,
    do_revoke_token,
    token_actor,
    tokens_for,
)
from mentiondesk.desk.case_actions import do_assign_case, do_send_reply
from mentiondesk.domain.errors import NotFound, PermissionDenied
from mentiondesk.domain.ports import FixedClock
from mentiondesk.domain.workspaces import Role
from tests.factories import Desk

pytestmark = pytest.mark.usefixtures("database_url")


def test_a_write_token_replies_and_assigns_as_itself_and_the_audit_says_so(desk: Desk) -> None:
    now = desk.services.clock.now()
    case_id = desk.ingest_case(text="@acme where is my refund", author_handle="anna")
    with desk.services.uow() as uow:
        made = do_create_token(uow, desk.actor(desk.owner), "Zapier", ["write"], now=now)
    with desk.services.uow() as uow:
        actor, token = token_actor(uow, made.secret, "acme", now=now)
    assert actor.role is Role.AGENT and token.name == "Zapier"
    with desk.services.uow() as uow:
        reply = do_send_reply(uow, actor, case_id, "We are on it.", idempotency_key="z1", now=now)
    with desk.services.uow() as uow:
        do_assign_case(uow, actor, case_id, desk.agent.id, now=now)
        entries = uow.audit.list(desk.workspace.id, subject=f"case:{case_id}")
        account = uow.users.get(reply.user_id)
    assert account is not None and account.name == "API token Zapier" and not account.is_active
    assert {e.actor_rule for e in entries if e.action in ("case.reply", "case.assign")} == {
        "API token Zapier"
    }
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_create_token(uow, actor, "more", ["read"], now=now)  # tokens do not make tokens


def test_a_token_works_in_its_workspace_until_revoked_or_expired(
    desk: Desk, other_desk: Desk, clock: FixedClock
) -> None:
    now = clock.now()
    with desk.services.uow() as uow:
        made = do_create_token(
            uow, desk.actor(desk.owner), "BI", ["read"], now=now, expires_in_days=2
        )
        kept = do_create_token(uow, desk.actor(desk.owner), "ops", ["admin"], now=now)
    with desk.services.uow() as uow, pytest.raises(NotFound):
        token_actor(uow, made.secret, "globex", now=now)
    with desk.services.uow() as uow:
        actor, _ = token_actor(uow, made.secret, "acme", now=now)
        assert actor.role is Role.VIEWER
        listed = {t.name: t for t in tokens_for(uow, desk.actor(desk.owner))}
    assert listed["BI"].last_used_at == now and listed["ops"].last_used_at is None
    later = now + timedelta(days=2)
    with desk.services.uow() as uow, pytest.raises(TokenRefused, match="expired"):
        token_actor(uow, made.secret, "acme", now=later)
    with desk.services.uow() as uow:
        do_revoke_token(uow, desk.actor(desk.owner), kept.token.prefix, now=now)
    with desk.services.uow() as uow, pytest.raises(TokenRefused, match="revoked"):
        token_actor(uow, kept.secret, "acme", now=now)
    with desk.services.uow() as uow, pytest.raises(PermissionDenied):
        do_create_token(uow, desk.actor(desk.agent), "mine", ["read"], now=now)
