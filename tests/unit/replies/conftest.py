"""Helpers for the reply-guard specifications."""

from __future__ import annotations

from typing import Any

import pytest

from mentiondesk.replies.guard import GuardContext, GuardSettings, check_reply


def checks_of(reply: str, **context: Any) -> set[str]:
    settings = context.pop("settings", GuardSettings())
    history = context.pop("history", None)
    return set(check_reply(reply, GuardContext(settings=settings, **context), history).checks)


@pytest.fixture
def checks() -> Any:
    return checks_of
