"""The error tree services raise, and the clock tests and replays run on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from mentiondesk.domain.errors import (
    ConcurrentChange,
    DomainError,
    InvalidInput,
    InvalidTransition,
    NotFound,
    PermissionDenied,
)
from mentiondesk.domain.ports import FixedClock, SystemClock


def test_invalid_input_names_the_field_and_the_reason() -> None:
    error = InvalidInput("created_at", "needs a time zone")

    assert error.field == "created_at"
    assert error.reason == "needs a time zone"
    assert str(error) == "created_at: needs a time zone"


@pytest.mark.parametrize(
    "error", [InvalidInput, NotFound, PermissionDenied, InvalidTransition, ConcurrentChange]
)
def test_every_service_error_is_a_domain_error(error: type[Exception]) -> None:
    assert issubclass(error, DomainError)


def test_a_fixed_clock_says_what_it_was_told_until_it_is_moved() -> None:
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    clock = FixedClock(at)

    assert clock.now() == at
    clock.set(at + timedelta(hours=1))
    assert clock.now() == at + timedelta(hours=1)


def test_a_fixed_clock_refuses_a_naive_datetime() -> None:
    with pytest.raises(ValueError, match="aware"):
        FixedClock(datetime(2026, 3, 10, 9, 0))


def test_the_system_clock_tells_aware_utc_time() -> None:
    assert SystemClock().now().utcoffset() == timedelta(0)
