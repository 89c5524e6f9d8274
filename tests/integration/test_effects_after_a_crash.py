"""A process killed right after routing a post loses none of the post's follow-ups: the sweep
auto-moderates, assigns and acknowledges it, exactly once, however often it runs."""

from __future__ import annotations

import signal
import subprocess
import sys
import textwrap
from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from mentiondesk.desk.assignment import do_save_agent_profile, do_save_rules
from mentiondesk.desk.sla_settings import do_update_desk_settings
from mentiondesk.domain.assignment import AgentProfile, AssignmentRules
from mentiondesk.domain.moderation import RuleActions, RuleConditions
from mentiondesk.domain.ports import FixedClock
from mentiondesk.moderation.rules import do_save_rule
from mentiondesk.storage import tables as t
from mentiondesk.storage.tables_effects import outbox, pending_effects
from mentiondesk.storage.tables_moderation import post_acknowledgements
from tests.conftest import ServicesFactory
from tests.factories import Desk, build_desk

ROOT = Path(__file__).resolve().parents[2]

# Routes one post with the real pipeline, then dies by SIGKILL the moment the routing
# transaction has committed, before any follow-up runs.
ROUTE_THEN_DIE = textwrap.dedent(
    """
    import os, signal, sys
    from datetime import datetime
    from mentiondesk.bootstrap import bootstrap
    from mentiondesk.config import Settings
    from mentiondesk.domain.ports import FixedClock
    from tests.factories import ScriptedTriager, raw_post

    url, data_dir, at = sys.argv[1:4]
    services = bootstrap(
        Settings(data_dir=data_dir, database_url=url),
        clock=FixedClock(datetime.fromisoformat(at)),
        triager=ScriptedTriager(),
        migrate=False,
    )
    services.dispatcher._after_commit = lambda *a: os.kill(os.getpid(), signal.SIGKILL)
    with services.uow() as uow:
        workspace = uow.workspaces.get_by_slug("acme")
    services.pipeline.ingest(
        workspace,
        raw_post(platform_post_id="kettle-1", text="@acme my kettle broke again", created_at=at),
        source="test",
    )
    print("survived", flush=True)
    """
)


def _prepare(desk: Desk) -> None:
    """Rules that hide and like a kettle post, automatic assignment, acknowledgements."""
    now = desk.services.clock.now()
    with desk.services.uow() as uow:
        do_save_rule(
            uow,
            desk.actor(desk.owner),
            name="kettles",
            conditions=RuleConditions(keywords_any=("kettle",)),
            actions=RuleActions(hide_reason="spam", acknowledge=True),
            now=now,
        )
    with desk.services.uow() as uow:
        do_save_agent_profile(uow, desk.actor(desk.owner), AgentProfile(desk.agent.id), now=now)
    with desk.services.uow() as uow:
        do_save_rules(uow, desk.actor(desk.owner), AssignmentRules(auto_assign=True), now=now)
    with desk.services.uow() as uow:
        do_update_desk_settings(
            uow, desk.actor(desk.owner), {"ack_enabled": True, "channels": {"x": "en"}}, now=now
        )


def _counts(desk: Desk) -> dict[str, object]:
    with desk.services.engine.connect() as conn:
        post = conn.execute(
            select(t.posts.c.id, t.posts.c.hidden, t.posts.c.case_id).where(
                t.posts.c.platform_post_id == "kettle-1"
            )
        ).one()
        case_assignee = conn.execute(
            select(t.cases.c.assignee_id).where(t.cases.c.id == post.case_id)
        ).scalar_one()

        def count(table: object, *where: object) -> int:
            return int(
                conn.execute(select(func.count()).select_from(table).where(*where)).scalar_one()
            )  # type: ignore[arg-type]

        return {
            "hidden": post.hidden,
            "assignee": case_assignee,
            "likes": count(post_acknowledgements, post_acknowledgements.c.post_id == post.id),
            "acks": count(t.replies, t.replies.c.case_id == post.case_id),
            "hide_audits": count(
                t.audit_log,
                t.audit_log.c.action == "post.hide",
                t.audit_log.c.subject == f"post:{post.id}",
            ),
            "assign_audits": count(t.audit_log, t.audit_log.c.action == "case.assign"),
            "platform_actions": sorted(
                conn.execute(select(outbox.c.action, outbox.c.status)).all()
            ),
            "pending": count(pending_effects, pending_effects.c.status == "pending"),
        }


def test_a_post_routed_by_a_killed_process_is_moderated_assigned_and_acknowledged_once(
    make_services: ServicesFactory, clock: FixedClock, database_url: str, tmp_path: Path
) -> None:
    desk = build_desk(make_services())
    _prepare(desk)
    saturday = clock.now() + timedelta(days=4)  # Saturday 10:00 in Warsaw: the desk is closed

    died = subprocess.run(
        [sys.executable, "-c", ROUTE_THEN_DIE, database_url, str(tmp_path), saturday.isoformat()],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert died.returncode == -signal.SIGKILL, died.stderr
    assert "survived" not in died.stdout
    before = _counts(desk)
    assert before["hidden"] is False and before["assignee"] is None and before["acks"] == 0
    assert before["pending"] == 3  # moderate, assign, acknowledge: written with the post

    clock.set(saturday + timedelta(minutes=5))
    sweeper = make_services()
    sweeper.sweep_effects()
    after = _counts(desk)

    assert after["hidden"] is True and after["likes"] == 1 and after["hide_audits"] == 1
    assert after["assignee"] == desk.agent.id and after["assign_audits"] == 1
    assert after["acks"] == 1
    assert after["platform_actions"] == [
        ("post.hide", "simulated"),
        ("post.like", "simulated"),
        ("reply.public", "simulated"),
    ]
    assert after["pending"] == 0

    clock.set(saturday + timedelta(hours=2))
    sweeper.sweep_effects()
    sweeper.sweep_effects()
    assert _counts(desk) == after
