"""The audit log: admins browse and export it; nothing in the product can change it."""

from __future__ import annotations

import csv
import inspect
import io
import json
from pathlib import Path

import pytest

from mentiondesk.desk.audit_log import audit_filter, audit_page, export_audit
from mentiondesk.domain.errors import InvalidInput, PermissionDenied
from mentiondesk.moderation.actions import do_hide_post
from mentiondesk.storage.repositories.audit import AuditRepository
from tests.factories import Desk

SRC = Path(__file__).resolve().parents[2] / "src" / "mentiondesk"


def _activity(desk: Desk) -> int:
    """A case assigned, answered and resolved, and a post hidden: four entries."""
    case_id = desk.ingest_case()
    desk.assign(desk.agent, case_id, desk.agent)
    desk.reply(desk.agent, case_id)
    desk.resolve(desk.agent, case_id)
    post = desk.view(desk.agent, case_id).first_post
    assert post is not None
    with desk.services.uow() as uow:
        do_hide_post(
            uow, desk.actor(desk.colleague), post.id, "spam", now=desk.services.clock.now()
        )
    return case_id


def test_admins_browse_the_log_filtered_by_action_actor_and_subject(desk: Desk) -> None:
    case_id = _activity(desk)
    with desk.services.uow() as uow:
        owner = desk.actor(desk.owner)
        everything = audit_page(uow, owner, audit_filter())
        hides = audit_page(uow, owner, audit_filter(action="post.hide"))
        by_agent = audit_page(uow, owner, audit_filter(actor=str(desk.agent.id)))
        on_case = audit_page(uow, owner, audit_filter(subject=f"case:{case_id}"))
        tomorrow = audit_page(uow, owner, audit_filter(since="2026-03-11"))
        today = audit_page(uow, owner, audit_filter(until="2026-03-10"))
    assert everything.total == 4 and everything.entries[0].action == "post.hide"
    assert [e.actor_user_id for e in hides.entries] == [desk.colleague.id]
    assert {e.action for e in by_agent.entries} == {"case.assign", "case.reply", "case.resolve"}
    assert on_case.total == 3
    assert tomorrow.total == 0 and today.total == 4
    assert everything.actor_names[desk.agent.id] == desk.agent.name


def test_the_log_is_paged(desk: Desk) -> None:
    for _ in range(13):
        _activity(desk)
    with desk.services.uow() as uow:
        first = audit_page(uow, desk.actor(desk.owner), audit_filter(), page=1)
        last = audit_page(uow, desk.actor(desk.owner), audit_filter(), page=99)
    assert (first.total, first.pages, len(first.entries)) == (52, 2, 50)
    assert (last.page, len(last.entries)) == (2, 2)
    assert {e.id for e in first.entries}.isdisjoint({e.id for e in last.entries})


def test_agents_cannot_read_the_log_and_bad_filters_are_named(desk: Desk) -> None:
    with desk.services.uow() as uow:
        with pytest.raises(PermissionDenied):
            audit_page(uow, desk.actor(desk.agent), audit_filter())
        with pytest.raises(PermissionDenied):
            list(export_audit(uow, desk.actor(desk.agent), audit_filter(), "csv"))
    with pytest.raises(InvalidInput) as bad_date:
        audit_filter(since="last tuesday")
    assert bad_date.value.field == "since"


def test_the_csv_export_has_a_header_and_one_row_per_entry(desk: Desk) -> None:
    _activity(desk)
    with desk.services.uow() as uow:
        text = "".join(export_audit(uow, desk.actor(desk.owner), audit_filter(), "csv"))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert text.splitlines()[0].startswith("id,at,action,actor_user_id")
    assert [r["action"] for r in rows] == ["case.assign", "case.reply", "case.resolve", "post.hide"]
    assert rows[-1]["reason"] == "spam" and rows[-1]["actor_name"] == desk.colleague.name


def test_the_jsonl_export_has_one_object_per_entry(desk: Desk) -> None:
    _activity(desk)
    with desk.services.uow() as uow:
        lines = list(
            export_audit(uow, desk.actor(desk.owner), audit_filter(action="post.hide"), "jsonl")
        )
    records = [json.loads(line) for line in lines]
    assert [(r["action"], r["reason"]) for r in records] == [("post.hide", "spam")]


def test_an_empty_csv_export_still_has_its_header(desk: Desk) -> None:
    with desk.services.uow() as uow:
        text = "".join(export_audit(uow, desk.actor(desk.owner), audit_filter(), "csv"))
    assert text.splitlines() == [
        "id,at,action,actor_user_id,actor_name,actor_rule,subject,reason,data"
    ]


def _public_methods(cls: type) -> set[str]:
    return {
        name for name, _ in inspect.getmembers(cls, inspect.isfunction) if not name.startswith("_")
    }


def test_the_audit_repository_can_only_append_and_read() -> None:
    assert _public_methods(AuditRepository) == {
        "append",
        "list",
        "count",
        "page",
        "stream",
        "actions",
    }


def test_no_code_in_the_product_updates_or_deletes_audit_rows() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if "migrations" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for needle in (
            "update(t.audit_log",
            "delete(t.audit_log",
            "audit_log.update(",
            "audit_log.delete(",
            "UPDATE audit_log",
            "DELETE FROM audit_log",
        ):
            if needle in text:
                offenders.append(f"{path.name}: {needle}")
    assert offenders == []
