"""What the desk does with triage: who waits for an answer, and what merely names the brand."""

from __future__ import annotations

from tests.factories import Desk


def _row(desk: Desk, case_id: int):  # type: ignore[no-untyped-def]
    return next(r for r in desk.inbox(desk.agent, statuses=()).rows if r.case_id == case_id)


def test_a_post_that_tags_the_brand_waits_for_an_answer_even_without_a_question(
    desk: Desk,
) -> None:
    tagged = desk.ingest_case(text="@acme my bag never arrived in Milan", lang="en")
    assert _row(desk, tagged).needs_reply is True


def test_a_passing_mention_of_the_brand_needs_no_reply(desk: Desk) -> None:
    passing = desk.ingest_case(
        text="Walked past the new Acme shop on the way to the station today",
        lang="en",
        author_handle="walker",
    )
    assert _row(desk, passing).needs_reply is False
