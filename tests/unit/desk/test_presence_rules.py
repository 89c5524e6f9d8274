"""Presence: fresh heartbeats only, typing shown first, a viewing poll does not hide typing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from mentiondesk.domain.presence import (
    Presence,
    PresenceState,
    next_state,
    others,
    typing,
)

NOW = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
VIEWING, TYPING = PresenceState.VIEWING, PresenceState.TYPING


def test_presence_older_than_fifteen_seconds_is_ignored() -> None:
    entries = [
        Presence(2, "Marco", VIEWING, NOW - timedelta(seconds=16)),
        Presence(3, "Ania", VIEWING, NOW - timedelta(seconds=14)),
    ]
    assert [p.name for p in others(entries, me=1, now=NOW)] == ["Ania"]


def test_my_own_heartbeat_is_not_shown_to_me() -> None:
    assert others([Presence(1, "Me", TYPING, NOW)], me=1, now=NOW) == []


def test_a_typist_is_listed_first_and_described_as_typing() -> None:
    entries = [Presence(3, "Ania", VIEWING, NOW), Presence(2, "Marco", TYPING, NOW)]
    shown = others(entries, me=1, now=NOW)
    assert [p.describe() for p in shown] == ["Marco is typing…", "Ania is viewing"]
    assert [p.name for p in typing(entries, me=1, now=NOW)] == ["Marco"]


def test_a_viewing_poll_right_after_a_keystroke_keeps_typing() -> None:
    typed = NOW - timedelta(seconds=2)
    assert next_state(TYPING, typed, VIEWING, NOW) == (TYPING, typed)
    long_ago = NOW - timedelta(seconds=10)
    assert next_state(TYPING, long_ago, VIEWING, NOW) == (VIEWING, NOW)


def test_typing_that_stopped_a_while_ago_shows_as_viewing() -> None:
    entries = [Presence(2, "Marco", TYPING, NOW - timedelta(seconds=8))]
    assert [p.state for p in others(entries, me=1, now=NOW)] == [VIEWING]
    assert typing(entries, me=1, now=NOW) == []
