"""Agents correct triage labels; the inbox follows and the corrections export as training data."""

from __future__ import annotations

import json

import pytest

from mentiondesk.desk.corrections import do_correct_label, export_corrections
from mentiondesk.domain.errors import InvalidInput, NotFound, PermissionDenied
from tests.factories import Desk


def _correct(desk: Desk, user: object, post_id: int, label: str, value: str) -> object:
    with desk.services.uow() as uow:
        return do_correct_label(
            uow,
            desk.actor(user),
            post_id,
            label,
            value,  # type: ignore[arg-type]
            now=desk.services.clock.now(),
        )


def _first_post(desk: Desk, case_id: int) -> int:
    thread = desk.view(desk.agent, case_id).thread
    return next(e.post.id for e in thread if e.post is not None)


def test_a_corrected_sentiment_shows_in_the_inbox_and_keeps_the_old_value(desk: Desk) -> None:
    case_id = desk.ingest_case(text="@acme thanks, the courier was lovely")
    post_id = _first_post(desk, case_id)
    before = desk.inbox(desk.agent).rows[0].sentiment

    done = _correct(desk, desk.agent, post_id, "sentiment", "Negative")

    assert done.old_value == before  # type: ignore[attr-defined]
    assert done.new_value == "negative"  # type: ignore[attr-defined]
    assert desk.inbox(desk.agent).rows[0].sentiment == "negative"
    assert desk.view(desk.agent, case_id).thread[0].post.triage.sentiment.value == "negative"  # type: ignore[union-attr]


def test_marking_a_post_as_needing_no_reply_moves_its_case_out_of_the_needs_reply_filter(
    desk: Desk,
) -> None:
    case_id = desk.ingest_case(text="@acme where is my parcel?")
    _correct(desk, desk.agent, _first_post(desk, case_id), "needs_reply", "false")
    assert [r.case_id for r in desk.inbox(desk.agent, needs_reply=True).rows] == []
    assert [r.case_id for r in desk.inbox(desk.agent, needs_reply=False).rows] == [case_id]


def test_corrections_export_in_the_shape_of_the_training_corpora(desk: Desk) -> None:
    case_id = desk.ingest_case(text="@acme il pacco non è mai arrivato", lang="it")
    post_id = _first_post(desk, case_id)
    _correct(desk, desk.agent, post_id, "intent", "question")
    _correct(desk, desk.colleague, post_id, "intent", "complaint")  # the latest one wins
    _correct(desk, desk.agent, post_id, "harmful", "false")

    with desk.services.uow() as uow:
        lines = [json.loads(line) for line in export_corrections(uow, desk.workspace)]

    by_task = {line["task"]: line for line in lines}
    assert set(by_task) == {"intent", "harmful"}
    assert by_task["intent"]["label"] == "complaint"
    assert by_task["intent"]["text"] == "@acme il pacco non è mai arrivato"
    assert by_task["intent"]["source"] == "mentiondesk:acme"
    assert by_task["harmful"]["label"] == "false"


def test_a_wrong_label_or_value_is_refused_with_the_choices(desk: Desk) -> None:
    post_id = _first_post(desk, desk.ingest_case())
    with pytest.raises(InvalidInput, match="sentiment must be one of negative, neutral, positive"):
        _correct(desk, desk.agent, post_id, "sentiment", "angry")
    with pytest.raises(InvalidInput) as refused:
        _correct(desk, desk.agent, post_id, "colour", "red")
    assert refused.value.field == "label"


def test_viewers_cannot_correct_and_other_workspaces_cannot_see_the_post(
    desk: Desk, other_desk: Desk
) -> None:
    post_id = _first_post(desk, desk.ingest_case())
    with pytest.raises(PermissionDenied):
        _correct(desk, desk.viewer, post_id, "sentiment", "neutral")
    with pytest.raises(NotFound):
        _correct(other_desk, other_desk.agent, post_id, "sentiment", "neutral")


def test_correcting_a_label_triage_was_not_sure_of_settles_it(desk: Desk) -> None:
    text = "@acme nie wiem co o tym myśleć, lot był ok ale obsługa taka sobie"
    case_id = desk.ingest_case(text=text, lang="pl")
    post_id = _first_post(desk, case_id)
    before = desk.view(desk.agent, case_id).thread[0].post.triage  # type: ignore[union-attr]
    assert before is not None and not before.sure("intent")
    assert before.needs_reply  # maybe a complaint: waits for a person, not sunk

    _correct(desk, desk.agent, post_id, "intent", "complaint")

    after = desk.view(desk.agent, case_id).thread[0].post.triage  # type: ignore[union-attr]
    assert after is not None and after.sure("intent")
    assert after.intent.value == "complaint"
